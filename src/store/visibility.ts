import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Visibility } from '../mailboxes/tables.ts';
import { blockedFor, isBlocked } from '../blocklist/filter.ts';

// The blocklist is the second half of "what may this reader see": list queries add `notBlockedSql`, single
// reads ask `hiddenByBlocklist`. Blocking hides; removing the entry shows the mail again (nothing is deleted).
export { blockedFor, isBlocked, notBlockedSql, type BlockedSet } from '../blocklist/filter.ts';

/**
 * What one user may see of one mailbox's mail. 'full': everything; 'subject': who, when and the subject
 * (no body, attachments or raw source); 'metadata': who and when only. A mailbox that is absent from the
 * map is invisible (404, never 403: its existence is not confirmed).
 */
export type MailAccess = 'full' | 'subject' | 'metadata';

const byVisibility: Record<Visibility, MailAccess | null> = {
  share_all: 'full',
  subject_only: 'subject',
  metadata_only: 'metadata',
  private: null,
};

/** The one rule: the owner sees everything; anyone else what the mailbox's visibility allows. Admins are not exempt. */
export function accessOf(userId: string, mailbox: { owner_user_id: string; visibility: Visibility }): MailAccess | null {
  if (mailbox.owner_user_id === userId) return 'full';
  return byVisibility[mailbox.visibility];
}

/** Every mailbox the user can see anything of, with how much. Every read path starts here. */
export async function readableMailboxes(db: Kysely<Database>, userId: string, only?: string[]): Promise<Map<string, MailAccess>> {
  let q = db.selectFrom('mailboxes').select(['id', 'owner_user_id', 'visibility']);
  if (only) {
    if (!only.length) return new Map();
    q = q.where('id', 'in', only);
  }
  const rows = await q.where((eb) => eb.or([eb('owner_user_id', '=', userId), eb('visibility', '<>', 'private')])).execute();
  const out = new Map<string, MailAccess>();
  for (const r of rows) {
    const a = accessOf(userId, r);
    if (a) out.set(r.id, a);
  }
  return out;
}

/**
 * Mail logged through a drop box (src/dropbox/) is also the logging user's: they see it in full, as
 * its author, whatever the drop box's mailbox lets them see (docs/visibility.md).
 */
export function accessToMessage(
  access: ReadonlyMap<string, MailAccess>,
  userId: string,
  message: { mailbox_id: string; logged_by_user_id: string | null },
): MailAccess | null {
  if (message.logged_by_user_id === userId) return 'full';
  return access.get(message.mailbox_id) ?? null;
}

/** The list-query half of accessToMessage: messages (alias `m`) of readable mailboxes or logged by the reader. */
export function readableMessagesSql(mailboxIds: string[], userId: string): RawBuilder<boolean> {
  return sql<boolean>`(m.mailbox_id = any(${mailboxIds}::uuid[]) or m.logged_by_user_id = ${userId}::uuid)`;
}

export async function accessToMailbox(db: Kysely<Database>, userId: string, mailboxId: string): Promise<MailAccess | null> {
  return (await readableMailboxes(db, userId, [mailboxId])).get(mailboxId) ?? null;
}

export const canReadBody = (a: MailAccess | null): boolean => a === 'full';
export const canReadSubject = (a: MailAccess | null): boolean => a === 'full' || a === 'subject';

/** Only the owner changes a mailbox's mail (flags, moves, deletes) or its sync. */
export async function ownsMailbox(db: Kysely<Database>, userId: string, mailboxId: string): Promise<boolean> {
  const row = await db.selectFrom('mailboxes').select('owner_user_id').where('id', '=', mailboxId).executeTakeFirst();
  return row?.owner_user_id === userId;
}

/** For single-message reads (detail, raw, attachments): true when the reader's blocklist hides this mail. */
export async function hiddenByBlocklist(db: Kysely<Database>, userId: string, participants: string[]): Promise<boolean> {
  return isBlocked(await blockedFor(db, userId), participants);
}
