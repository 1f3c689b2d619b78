import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MailboxesTable, MailboxRow } from './tables.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export function findMailbox(db: Executor, id: string): Promise<MailboxRow | undefined> {
  return db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The owner's mailbox with this address (case-insensitive), if it is bound already. */
export function findBoundMailbox(db: Executor, ownerUserId: string, email: string): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('mailboxes')
    .select('id')
    .where('owner_user_id', '=', ownerUserId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

/** Mailboxes with their owners' names; all of them for admins, one's own for members. */
export function listMailboxes(db: Executor, opts: { ownerUserId?: string }) {
  let q = db
    .selectFrom('mailboxes')
    .innerJoin('users', 'users.id', 'mailboxes.owner_user_id')
    .selectAll('mailboxes')
    .select(['users.name as owner_name', 'users.email as owner_email'])
    .orderBy('mailboxes.created_at', 'asc');
  if (opts.ownerUserId) q = q.where('mailboxes.owner_user_id', '=', opts.ownerUserId);
  return q.execute();
}

export async function updateMailboxRow(db: Executor, id: string, patch: Updateable<MailboxesTable>): Promise<MailboxRow> {
  return db
    .updateTable('mailboxes')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
