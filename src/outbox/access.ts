import type { Kysely } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { NotFoundError } from '../kernel/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import { accessToMailbox } from '../store/visibility.ts';
import { OutboxError } from './errors.ts';

/** Why a mailbox cannot send at all, whoever asks; null when it can. */
export type CannotSendReason = 'no_smtp_server' | 'paused' | 'needs_attention';

export function cannotSendReason(row: Pick<MailboxRow, 'protocol' | 'smtp_host' | 'status'>): CannotSendReason | null {
  // Graph and EWS send through their own API; an IMAP binding needs its SMTP server.
  if (row.protocol === 'imap' && !row.smtp_host) return 'no_smtp_server';
  if (row.status === 'paused') return 'paused';
  if (row.status === 'needs_attention') return 'needs_attention';
  return null;
}

/** The owner always may send; anyone else only when the owner (or an admin) listed them in mailbox_senders. */
export async function maySendFrom(db: Kysely<Database>, user: User, row: Pick<MailboxRow, 'id' | 'owner_user_id'>): Promise<boolean> {
  if (row.owner_user_id === user.id) return true;
  const granted = await db
    .selectFrom('mailbox_senders')
    .select('user_id')
    .where('mailbox_id', '=', row.id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  return Boolean(granted);
}

/** Mailboxes the user may send from (owned first, then granted), whether or not they can send right now. */
export async function sendableMailboxes(db: Kysely<Database>, user: User): Promise<MailboxRow[]> {
  const rows = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('owner_user_id', '=', user.id),
        eb('id', 'in', eb.selectFrom('mailbox_senders').select('mailbox_id').where('user_id', '=', user.id)),
      ]),
    )
    .orderBy('email')
    .execute();
  return [...rows.filter((r) => r.owner_user_id === user.id), ...rows.filter((r) => r.owner_user_id !== user.id)];
}

/**
 * The mailbox a user sends from, or the refusal: not_found when they cannot even see it (its existence is
 * not confirmed), send_not_allowed when they see it but may not send, mailbox_cannot_send when nobody can
 * (not asked for a draft).
 */
export async function loadSendingMailbox(
  db: Kysely<Database>,
  user: User,
  mailboxId: string,
  opts: { draft?: boolean } = {},
): Promise<MailboxRow> {
  const row = await db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirst();
  if (!row) throw new NotFoundError('mailbox');
  if (!(await maySendFrom(db, user, row))) {
    const sees = user.role === 'admin' || (await accessToMailbox(db, user.id, row.id)) !== null;
    if (!sees) throw new NotFoundError('mailbox');
    throw new OutboxError('send_not_allowed', 'Only the mailbox owner and the users they allow may send from this mailbox.');
  }
  const reason = cannotSendReason(row);
  // A draft may be written while the mailbox is paused or being fixed; only sending needs it working.
  if (reason && !opts.draft) throw new OutboxError('mailbox_cannot_send', CANNOT_SEND_TEXT[reason], { details: { reason } });
  return row;
}

const CANNOT_SEND_TEXT: Record<CannotSendReason, string> = {
  no_smtp_server: 'This mailbox has no SMTP server: add one in its settings to send from it.',
  paused: 'This mailbox is paused: resume it to send from it.',
  needs_attention: 'This mailbox needs attention (its sign-in or server failed): fix it to send from it.',
};
