import { type Kysely, sql } from 'kysely';

/**
 * What ingest could not keep whole, so the reader can say so:
 * - html_prepared: html_body went through the display preparation at ingest (links and images settled),
 *   so a view only swaps image URLs; older rows take the full second sanitizing pass.
 * - html_too_big: the HTML body was over the display cap; html_body is null, the text is kept.
 * - too_large: the source was over TIDINGS_MAX_MESSAGE_MB; only its headers were fetched and stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages
    add column html_prepared boolean not null default false,
    add column html_too_big boolean not null default false,
    add column too_large boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table messages drop column html_prepared, drop column html_too_big, drop column too_large`.execute(db);
}
