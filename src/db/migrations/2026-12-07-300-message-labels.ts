import { type Kysely, sql } from 'kysely';

/**
 * Gmail labels of a message (X-GM-LABELS), as the connector hands them over: user labels plus
 * "\Important" (the other system labels repeat folders and flags; see src/connectors/imap/gmail-labels.ts).
 * They belong to the message, not to a folder membership: Gmail labels the message once, whichever folder
 * it is listed in. Sync keeps them in step like flags.
 *
 * tidings_label_keys gives each label its search key (lower case, no leading backslash, blanks as
 * hyphens: "Big Deals" → big-deals, "\Important" → important), so `label:big-deals` and a click on a tag
 * find the messages through one GIN probe. The same rule is labelKey() in src/store/labels.ts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages add column labels text[] not null default '{}'::text[]`.execute(db);
  await sql`
    create or replace function tidings_label_keys(labels text[]) returns text[]
    language sql immutable parallel safe as $fn$
      select coalesce(array_agg(regexp_replace(lower(ltrim(l, '\\')), '\\s+', '-', 'g')), '{}')
      from unnest(labels) as l
    $fn$`.execute(db);
  await sql`create index messages_label_keys_idx on messages using gin (tidings_label_keys(labels))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists messages_label_keys_idx`.execute(db);
  await sql`alter table messages drop column labels`.execute(db);
  await sql`drop function if exists tidings_label_keys(text[])`.execute(db);
}
