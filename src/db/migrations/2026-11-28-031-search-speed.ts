import { type Kysely, sql } from 'kysely';

/**
 * Search speed (measured with bench/search.ts at 100k messages; figures in docs/performance.md).
 *
 * GIN pending lists: with the default 4 MB limit, mail inserted since the last vacuum waits in an unsorted
 * pending list that every search through the index reads in full — about 400 pages and ~30 ms per probe
 * after an import, whatever the term. 1 MB bounds that to ~128 pages. (256 kB made bulk inserts of the
 * bench's mail ~40% slower; 1 MB was within the noise of the default.) The current lists are flushed now
 * so the setting holds from the first search.
 *
 * messages_long_text_idx: CJK bigrams are stored for the first 20,000 characters of a text only, so a
 * 3+ character CJK term must also consider the (rare) longer texts. Its predicate is word for word the
 * condition search uses (src/search/email-conditions.ts), so the planner can OR it into a bitmap scan.
 */
const GIN_INDEXES = ['messages_search_tsv_idx', 'messages_subject_trgm_idx', 'messages_body_trgm_idx'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const index of GIN_INDEXES) {
    await sql`alter index ${sql.id(index)} set (gin_pending_list_limit = 1024)`.execute(db);
    await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
  }
  await sql`
    create index messages_long_text_idx on messages (date desc nulls last)
    where octet_length(subject) > 20000 or octet_length(text_body) > 20000`.execute(db);
  // Word + "has attachment": the newest messages with attachments, in date order, without a bitmap over
  // every message in the date range.
  await sql`create index messages_attachments_date_idx on messages (date desc nulls last) where has_attachments`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists messages_attachments_date_idx`.execute(db);
  await sql`drop index if exists messages_long_text_idx`.execute(db);
  for (const index of GIN_INDEXES) await sql`alter index ${sql.id(index)} reset (gin_pending_list_limit)`.execute(db);
}
