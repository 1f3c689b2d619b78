import { type Kysely, sql } from 'kysely';

/**
 * What a sign-in flow asks the provider for: IMAP/SMTP access (Google's mail scope, Microsoft's Outlook
 * scopes) or Microsoft Graph's mail permissions for a mailbox read over Graph. The grant it makes keeps
 * the scopes granted, which say the same from then on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table signin_flows add column access text not null default 'imap' check (access in ('imap', 'graph'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table signin_flows drop column access`.execute(db);
}
