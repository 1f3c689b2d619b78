import type { Kysely } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { ForbiddenError, NotFoundError } from '../kernel/index.ts';
import { accessToMailbox } from '../store/visibility.ts';
import { getWorkspaceSettings } from '../settings/workspace-settings.ts';
import { MailboxError } from './errors.ts';
import { findMailbox } from './repository.ts';
import type { MailboxRow } from './tables.ts';

/**
 * Who may bind and manage mailboxes. Managing (settings, password, test) is for the owner and admins;
 * it never grants reading the mail, which the CRM's visibility rules decide.
 */
export async function assertMayBind(db: Kysely<Database>, user: User, ownerUserId: string): Promise<void> {
  if (user.role === 'admin') return;
  if (ownerUserId !== user.id) throw new ForbiddenError('Only admins can bind mailboxes for other users.');
  const settings = await getWorkspaceSettings(db);
  if (!settings.membersCanBindMailboxes)
    throw new MailboxError(
      'binding_not_allowed',
      'Your admin has not allowed members to bind their own mailboxes. Ask an admin to bind it for you.',
    );
}

export async function loadManageableMailbox(db: Kysely<Database>, user: User, id: string): Promise<MailboxRow> {
  const row = await findMailbox(db, id);
  // A member asking for someone else's mailbox learns nothing about it.
  if (!row || (user.role !== 'admin' && row.owner_user_id !== user.id)) throw new NotFoundError('mailbox');
  return row;
}

/** True for the owner and for admins: they manage the mailbox (settings, sync), which is not reading it. */
export async function mayManageMailbox(db: Kysely<Database>, user: User, id: string): Promise<boolean> {
  const row = await findMailbox(db, id);
  return Boolean(row && (user.role === 'admin' || row.owner_user_id === user.id));
}

/** Sync status is for those who manage the mailbox and for its readers; anyone else learns nothing. */
export async function assertMaySeeSync(db: Kysely<Database>, user: User, id: string): Promise<void> {
  if (!(await mayManageMailbox(db, user, id)) && !(await accessToMailbox(db, user.id, id))) throw new NotFoundError('mailbox');
}

/** Starting a sync is for those who manage the mailbox; a reader is told no, anyone else learns nothing. */
export async function assertMayStartSync(db: Kysely<Database>, user: User, id: string): Promise<void> {
  if (await mayManageMailbox(db, user, id)) return;
  if (await accessToMailbox(db, user.id, id)) throw new ForbiddenError('Only the mailbox owner or an admin can start a sync.');
  throw new NotFoundError('mailbox');
}
