import { type Kysely, sql } from 'kysely';

/**
 * Which connector reads a mailbox: IMAP (imap_* columns), Microsoft Graph or EWS. For Graph and EWS,
 * api_url is where the connector talks to (Graph's versioned base URL, the EWS endpoint) and imap_host /
 * imap_port / imap_security / imap_pinned_cert describe that same HTTPS server, so the host policy and
 * certificate pinning apply to every protocol alike.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table mailboxes
    add column protocol text not null default 'imap' check (protocol in ('imap', 'graph', 'ews')),
    add column api_url text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table mailboxes drop column protocol, drop column api_url`.execute(db);
}
