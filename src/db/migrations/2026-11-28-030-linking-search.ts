import { type Kysely, sql } from 'kysely';

/**
 * The CRM around the mail: message ↔ contact/company links, deal threads, the blocklist, and the search
 * columns on messages.
 *
 * Search: one stored tsvector per message with weights that encode who may match on what —
 * A subject, B from/to/cc (names and addresses), C bcc, D body. A subject-only reader's query is restricted
 * to `:AB`, a metadata-only reader's to `:B`, so a body word can never find a message for them.
 * CJK text has no spaces, so the 'simple' parser sees a whole run as one word; every CJK bigram of the
 * subject, names and body is added as its own token, which makes 2-character queries (合同) exact index
 * hits. Longer CJK substrings use pg_trgm (trigrams need ≥ 3 characters).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  // Space-separated distinct CJK bigrams of a text (Han, kana, Hangul), bounded so a huge body stays cheap.
  await sql`
    create or replace function tidings_cjk_bigrams(t text) returns text
    language sql immutable parallel safe as $fn$
      select coalesce(string_agg(distinct substr(r.m[1], i, 2), ' '), '')
      from regexp_matches(left(coalesce(t, ''), 20000), '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{2,}', 'g') as r(m),
           generate_series(1, char_length(r.m[1]) - 1) as i
    $fn$`.execute(db);

  // Every domain of the participants with its parent domains (sales.acme.com → sales.acme.com, acme.com),
  // so "which messages involve a company's domain" is one GIN probe.
  await sql`
    create or replace function tidings_participant_domains(p text[]) returns text[]
    language sql immutable parallel safe as $fn$
      select coalesce(array_agg(distinct d), '{}')
      from (
        select array_to_string((string_to_array(split_part(a, '@', 2), '.'))[i:], '.') as d,
               i, cardinality(string_to_array(split_part(a, '@', 2), '.')) as n
        from unnest(p) as a, generate_series(1, 10) as i
      ) x
      where i < n
    $fn$`.execute(db);

  await sql`alter table messages add column participant_domains text[] generated always as (tidings_participant_domains(participants)) stored`.execute(
    db,
  );
  await sql`create index messages_participant_domains_idx on messages using gin (participant_domains)`.execute(db);

  await sql`
    alter table messages add column search_tsv tsvector generated always as (
      setweight(to_tsvector('simple', coalesce(subject, '')), 'A') ||
      setweight(to_tsvector('simple', tidings_cjk_bigrams(subject)), 'A') ||
      setweight(jsonb_to_tsvector('simple', "from" || "to" || cc, '["string"]'), 'B') ||
      setweight(to_tsvector('simple', tidings_cjk_bigrams(("from" || "to" || cc)::text)), 'B') ||
      setweight(jsonb_to_tsvector('simple', bcc, '["string"]'), 'C') ||
      setweight(to_tsvector('simple', left(coalesce(text_body, ''), 100000)), 'D') ||
      setweight(to_tsvector('simple', tidings_cjk_bigrams(text_body)), 'D')
    ) stored`.execute(db);
  await sql`create index messages_search_tsv_idx on messages using gin (search_tsv)`.execute(db);
  await sql`create index messages_subject_trgm_idx on messages using gin (subject gin_trgm_ops)`.execute(db);
  await sql`create index messages_body_trgm_idx on messages using gin (text_body gin_trgm_ops)`.execute(db);
  await sql`create index attachments_filename_trgm_idx on attachments using gin (filename gin_trgm_ops)`.execute(db);
  await sql`create index deals_name_trgm_idx on deals using gin (name gin_trgm_ops)`.execute(db);
  await sql`create index company_domains_domain_trgm_idx on company_domains using gin (domain gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('message_links')
    .addColumn('message_id', 'uuid', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('company_id', 'uuid', (c) => c.references('companies.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('from', 'to', 'cc', 'bcc')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('message_links_one_target', sql`(contact_id is null) <> (company_id is null)`)
    .execute();
  // Idempotent linking: a replayed event or a second retroactive run inserts nothing new.
  await sql`create unique index message_links_contact_key on message_links (contact_id, message_id, role) where contact_id is not null`.execute(
    db,
  );
  await sql`create unique index message_links_company_key on message_links (company_id, message_id, role) where company_id is not null`.execute(
    db,
  );
  await sql`create index message_links_message_idx on message_links (message_id)`.execute(db);

  await db.schema
    .createTable('deal_threads')
    .addColumn('deal_id', 'uuid', (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('automatic', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('deal_threads_pk', ['deal_id', 'thread_id'])
    .execute();
  await sql`create index deal_threads_thread_idx on deal_threads (thread_id)`.execute(db);

  await db.schema
    .createTable('blocklist_entries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('workspace', 'user')`))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('address', 'domain')`))
    .addColumn('value', 'text', (c) => c.notNull().check(sql`value = lower(value)`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('blocklist_scope_user', sql`(scope = 'user') = (user_id is not null)`)
    .execute();
  await sql`create unique index blocklist_entries_key on blocklist_entries (scope, coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid), kind, value)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['blocklist_entries', 'deal_threads', 'message_links']) await db.schema.dropTable(t).ifExists().execute();
  for (const i of [
    'messages_search_tsv_idx',
    'messages_subject_trgm_idx',
    'messages_body_trgm_idx',
    'attachments_filename_trgm_idx',
    'deals_name_trgm_idx',
    'company_domains_domain_trgm_idx',
    'messages_participant_domains_idx',
  ]) {
    await db.schema.dropIndex(i).ifExists().execute();
  }
  await sql`alter table messages drop column if exists search_tsv, drop column if exists participant_domains`.execute(db);
  await sql`drop function if exists tidings_cjk_bigrams(text)`.execute(db);
  await sql`drop function if exists tidings_participant_domains(text[])`.execute(db);
}
