import { type Kysely, sql } from 'kysely';

/**
 * The backfill window as a date, not a length. `backfill` ('30d', '90d', '1y', 'all') was turned into
 * "since N days before now" at every full listing of a folder, so the window slid: a full listing a
 * year later (a UIDVALIDITY reset, say) no longer listed mail stored at the import, and the rebuild
 * removed it. Now:
 *
 * - mailboxes.backfill_from: the oldest internal date the mailbox wants (null: everything), fixed when
 *   the mailbox is bound and moved back when the window is widened, never forward.
 * - mail_folders.listed_from: the oldest internal date the folder's listings have covered (1970 for
 *   everything; null: not listed yet). A mailbox window older than it makes the next round list the
 *   older mail and fetch what is missing, keeping the cursor for new mail.
 *
 * Existing rows get the window their import most likely used: the length counted back from when the
 * mailbox was bound.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table mailboxes add column backfill_from timestamptz`.execute(db);
  await sql`alter table mail_folders add column listed_from timestamptz`.execute(db);
  await sql`
    update mailboxes set backfill_from = created_at - case backfill
      when '30d' then interval '30 days' when '90d' then interval '90 days' when '1y' then interval '365 days' end
    where backfill <> 'all'`.execute(db);
  await sql`
    update mail_folders f set listed_from = coalesce(m.backfill_from, timestamptz '1970-01-01 00:00:00+00')
    from mailboxes m where m.id = f.mailbox_id and f.cursor is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table mail_folders drop column listed_from`.execute(db);
  await sql`alter table mailboxes drop column backfill_from`.execute(db);
}
