import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { timeIdPage } from '../kernel/index.ts';
import { NotificationError } from './errors.ts';

/** A notification with what its mailbox says about itself now (its address, provider and server). */
export async function listNotifications(
  db: Kysely<Database>,
  userId: string,
  q: { cursor?: string | undefined; limit: number; unread?: boolean | undefined },
) {
  let query = db
    .selectFrom('notifications as n')
    .leftJoin('mailboxes as m', 'm.id', 'n.mailbox_id')
    .select([
      'n.id',
      'n.kind',
      'n.mailbox_id',
      'n.code',
      'n.params',
      'n.read_at',
      'n.created_at',
      'm.email',
      'm.provider_id',
      'm.imap_host',
      'm.imap_port',
      'm.protocol',
    ])
    .where('n.user_id', '=', userId);
  if (q.unread) query = query.where('n.read_at', 'is', null);
  return timeIdPage(query, { at: 'n.created_at', id: 'n.id', cursorKey: 't', atOf: (n) => n.created_at }, q);
}

export type NotificationListRow = Awaited<ReturnType<typeof listNotifications>>['items'][number];

export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the user's notifications read; another user's is not found (it is not theirs to see). */
export async function markRead(db: Kysely<Database>, userId: string, id: string): Promise<void> {
  const found = await db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning('id')
    .executeTakeFirst();
  if (!found) throw new NotificationError('notification_not_found', 'No such notification.');
}

export async function markAllRead(db: Kysely<Database>, userId: string): Promise<number> {
  const rows = await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}
