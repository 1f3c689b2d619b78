import { type Kysely, sql } from 'kysely';

/**
 * Bounces (src/bounces/): a DSN often syncs before the Sent copy it is about (INBOX first), so each new
 * message looks for reports still waiting for it; and the contact page asks which reports name an address.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index message_bounces_waiting on message_bounces (original_message_id_header) where original_message_id is null`.execute(
    db,
  );
  await sql`create index message_bounces_recipient on message_bounces (recipient)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index message_bounces_recipient`.execute(db);
  await sql`drop index message_bounces_waiting`.execute(db);
}
