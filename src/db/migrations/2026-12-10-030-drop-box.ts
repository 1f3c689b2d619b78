import { type Kysely, sql } from 'kysely';

/**
 * The logging drop box (src/dropbox/, docs/drop-box.md): a mailbox marked drop_box takes mail users
 * forward or BCC to it; each message stored from it names the user who logged it, who sees it even
 * without access to the drop box's mailbox (src/store/visibility.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table mailboxes add column drop_box boolean not null default false`.execute(db);
  await sql`alter table messages add column logged_by_user_id uuid references users(id) on delete set null`.execute(db);
  await sql`create index messages_logged_by_idx on messages (logged_by_user_id, date desc nulls last, id desc) where logged_by_user_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index messages_logged_by_idx`.execute(db);
  await sql`alter table messages drop column logged_by_user_id`.execute(db);
  await sql`alter table mailboxes drop column drop_box`.execute(db);
}
