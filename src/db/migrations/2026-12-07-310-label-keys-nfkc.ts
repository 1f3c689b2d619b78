import { type Kysely, sql } from 'kysely';

/**
 * tidings_label_keys (2026-12-07-300-message-labels) applies NFKC first, as labelKey() in src/store/labels.ts
 * does. Without it a stored label with full-width characters ("重要客户（VIP）", "Ｃｕｓｔｏｍｅｒｓ",
 * common in Chinese input) kept its full-width key while the query's key was normalised, so neither a click
 * on its tag nor `label:` found it. The index is rebuilt with the new keys.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function tidings_label_keys(labels text[]) returns text[]
    language sql immutable parallel safe as $fn$
      select coalesce(array_agg(regexp_replace(lower(ltrim(normalize(l, NFKC), '\\')), '\\s+', '-', 'g')), '{}')
      from unnest(labels) as l
    $fn$`.execute(db);
  await sql`reindex index messages_label_keys_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function tidings_label_keys(labels text[]) returns text[]
    language sql immutable parallel safe as $fn$
      select coalesce(array_agg(regexp_replace(lower(ltrim(l, '\\')), '\\s+', '-', 'g')), '{}')
      from unnest(labels) as l
    $fn$`.execute(db);
  await sql`reindex index messages_label_keys_idx`.execute(db);
}
