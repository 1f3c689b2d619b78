import { sql, type Kysely } from 'kysely';
import { DomainError } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';
import { labelKey } from './labels.ts';
import type { AttachmentRow, MessageRow } from './tables.ts';
import {
  accessToMessage,
  blockedFor,
  hiddenByBlocklist,
  notBlockedSql,
  readableMailboxes,
  readableMessagesSql,
  type MailAccess,
} from './visibility.ts';

export interface ListFilters {
  mailboxId?: string;
  folderId?: string;
  threadId?: string;
  unread?: boolean;
  hasAttachments?: boolean;
  /** Only messages with this Gmail label (by its key, see labels.ts); full readers only. */
  label?: string;
  /** Leaves out mail the owner threw away: messages whose every folder is Trash or Junk. */
  withoutBinned?: boolean;
  cursor?: string;
  limit: number;
}

export type StoreErrorCode = 'bad_cursor';

export class BadCursorError extends DomainError<StoreErrorCode> {
  constructor(message: string) {
    super('bad_cursor', message);
  }
}

interface Position {
  d: string;
  i: string;
}

const encodeCursor = (p: Position) => Buffer.from(JSON.stringify(p)).toString('base64url');

function decodeCursor(cursor: string): Position {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if (
      typeof p.d === 'string' &&
      typeof p.i === 'string' &&
      /^[0-9a-f-]{36}$/.test(p.i) &&
      (p.d === '-infinity' || !Number.isNaN(Date.parse(p.d)))
    )
      return p;
  } catch {
    // falls through
  }
  throw new BadCursorError('The cursor is not one this API returned.');
}

/**
 * Messages the user may see, newest first, keyset-paginated on (date, id): a page never repeats or skips
 * a row however many arrive meanwhile. Messages without a date sort last.
 *
 * The order is (date desc nulls last, id desc), the order of messages_date_idx and messages_list_idx, so a
 * page is an index walk that stops after `limit` rows instead of a sort of every readable message. A dated
 * cursor is a plain row comparison (an index condition; `… or m.date is null` would make it a filter over
 * every newer row), and the undated messages after it are read by a second query when the dated ones run out.
 */
export async function listMessages(
  db: Kysely<Database>,
  userId: string,
  f: ListFilters,
): Promise<{ items: Array<{ row: MessageRow; access: MailAccess }>; nextCursor: string | null }> {
  const access = await readableMailboxes(db, userId, f.mailboxId ? [f.mailboxId] : undefined);
  // A folder's mail is its mailbox's: naming the mailbox lets the planner walk that mailbox's index.
  let only = f.mailboxId;
  if (f.folderId) {
    const folder = await db.selectFrom('mail_folders').select('mailbox_id').where('id', '=', f.folderId).executeTakeFirst();
    if (!folder || (only && only !== folder.mailbox_id)) return { items: [], nextCursor: null };
    only = folder.mailbox_id;
  }
  // Which mailboxes' mail the filters let through. The reader's own drop-box mail (readableMessagesSql) counts
  // only without them: a filter on attachments or labels is cut to the mailboxes whose readers may use it.
  let mailboxes = [...access.keys()];
  let ownDropBoxMail = true;
  if (f.hasAttachments !== undefined) {
    // Whether a message has attachments is not "who and when": metadata-only readers cannot filter on it.
    mailboxes = mailboxes.filter((id) => access.get(id) !== 'metadata');
    ownDropBoxMail = false;
  }
  if (f.label !== undefined) {
    // Labels are the owner's filing, like folder names: shown to, and filtered by, full readers only.
    mailboxes = mailboxes.filter((id) => access.get(id) === 'full');
    ownDropBoxMail = false;
  }
  if (!ownDropBoxMail && !mailboxes.length) return { items: [], nextCursor: null };
  let q = db.selectFrom('messages as m').selectAll('m');
  // The list's order and its mailbox: the messages' own, or, filtered by a label, the label's rows
  // (message_label_keys, which carry the message's mailbox and date), so the walk is of that label's index.
  const by =
    f.label === undefined
      ? { date: 'm.date', id: 'm.id', mailbox: 'm.mailbox_id' }
      : { date: 'k.date', id: 'k.message_id', mailbox: 'k.mailbox_id' };
  if (f.label !== undefined) {
    const key = labelKey(f.label);
    q = q.innerJoin('message_label_keys as k', (j) =>
      j.onRef('k.message_id', '=', 'm.id').on('k.label_key', '=', key),
    ) as unknown as typeof q;
  }
  const mailboxRef = sql.ref<string>(by.mailbox);
  // One condition on the mailbox, not an OR of both halves or two overlapping lists: those misled the
  // planner's row estimates into reading and sorting every match instead of walking the date index.
  if (only) {
    q = q.where(mailboxRef, '=', only);
    if (!mailboxes.includes(only)) {
      if (!ownDropBoxMail) return { items: [], nextCursor: null };
      q = q.where('m.logged_by_user_id', '=', userId);
    }
  } else if (ownDropBoxMail) q = q.where(readableMessagesSql(mailboxes, userId));
  else q = q.where(mailboxRef, 'in', mailboxes);
  if (f.folderId) {
    const folderId = f.folderId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('message_folders as mf')
          .select('mf.message_id')
          .whereRef('mf.message_id', '=', 'm.id')
          .where('mf.folder_id', '=', folderId),
      ),
    );
  }
  if (f.threadId) q = q.where('m.thread_id', '=', f.threadId);
  const notBlocked = notBlockedSql(await blockedFor(db, userId));
  if (notBlocked) q = q.where(notBlocked);
  if (f.unread !== undefined) q = q.where('m.seen', '=', !f.unread);
  if (f.hasAttachments !== undefined) q = q.where('m.has_attachments', '=', f.hasAttachments);
  // In the query, before the limit, so every page of the unified views is full. One correlated aggregate over
  // the message's memberships (null: in no folder) against the Trash and Junk folders' ids read first: two
  // EXISTS were planned as hashes of every membership, and a join to mail_folders per row cost more than the rest.
  if (f.withoutBinned) {
    let bins = db.selectFrom('mail_folders').select('id').where('role', 'in', ['trash', 'junk']);
    if (only) bins = bins.where('mailbox_id', '=', only);
    const binned = (await bins.execute()).map((r) => r.id);
    q = q.where(
      sql<boolean>`coalesce((select bool_or(mf.folder_id <> all(${binned}::uuid[])) from message_folders mf where mf.message_id = m.id), true)`,
    );
  }
  const date = sql.ref<Date | null>(by.date);
  const id = sql.ref<string>(by.id);
  const newestFirst = (qb: typeof q, n: number) =>
    qb.orderBy(sql`${date} desc nulls last`).orderBy(id, 'desc').limit(n).execute() as Promise<MessageRow[]>;
  const p = f.cursor ? decodeCursor(f.cursor) : null;
  let rows: MessageRow[];
  if (!p) rows = await newestFirst(q, f.limit + 1);
  else if (p.d === '-infinity') rows = await newestFirst(q.where(date, 'is', null).where(id, '<', p.i), f.limit + 1);
  else {
    rows = await newestFirst(q.where(sql<boolean>`(${date}, ${id}) < (${p.d}::timestamptz, ${p.i}::uuid)`), f.limit + 1);
    if (rows.length <= f.limit) rows.push(...(await newestFirst(q.where(date, 'is', null), f.limit + 1 - rows.length)));
  }
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > f.limit && last ? encodeCursor({ d: last.date ? new Date(last.date).toISOString() : '-infinity', i: last.id }) : null;
  return { items: page.map((row) => ({ row, access: accessToMessage(access, userId, row)! })), nextCursor };
}

/** One message with the reader's access, or null when it does not exist for this reader. */
export async function readMessage(
  db: Kysely<Database>,
  userId: string,
  id: string,
): Promise<{ row: MessageRow; access: MailAccess } | null> {
  const row = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const access = accessToMessage(await readableMailboxes(db, userId, [row.mailbox_id]), userId, row);
  if (!access || (await hiddenByBlocklist(db, userId, row.participants))) return null;
  return { row, access };
}

export async function messageFolders(db: Kysely<Database>, messageId: string) {
  return db
    .selectFrom('message_folders as mf')
    .innerJoin('mail_folders as f', 'f.id', 'mf.folder_id')
    .select([
      'f.id',
      'f.name',
      'f.role',
      'f.remote_id as folderRemoteId',
      'f.generation',
      'mf.remote_id as remoteId',
      'mf.uid_validity as uidValidity',
    ])
    .where('mf.message_id', '=', messageId)
    .execute();
}

export function messageAttachments(db: Kysely<Database>, messageId: string): Promise<AttachmentRow[]> {
  return db.selectFrom('attachments').selectAll().where('message_id', '=', messageId).orderBy('position').execute();
}

/** An attachment with the reader's access to its message, or null. */
export async function readAttachment(
  db: Kysely<Database>,
  userId: string,
  id: string,
): Promise<{ attachment: AttachmentRow; access: MailAccess } | null> {
  const row = await db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.message_id')
    .selectAll('attachments')
    .select(['messages.mailbox_id', 'messages.participants', 'messages.logged_by_user_id'])
    .where('attachments.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const access = accessToMessage(await readableMailboxes(db, userId, [row.mailbox_id]), userId, row);
  if (!access || (await hiddenByBlocklist(db, userId, row.participants))) return null;
  const { mailbox_id: _m, participants: _p, logged_by_user_id: _l, ...attachment } = row;
  return { attachment, access };
}
