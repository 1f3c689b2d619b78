import type { Kysely } from 'kysely';
import { type Actor, auditedWrite } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { ValidationError } from '../kernel/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';

/** Users the owner allows to send from the mailbox (the owner always may, and is not listed). */
export async function listMailboxSenders(db: Kysely<Database>, mailboxId: string): Promise<string[]> {
  const rows = await db.selectFrom('mailbox_senders').select('user_id').where('mailbox_id', '=', mailboxId).orderBy('created_at').execute();
  return rows.map((r) => r.user_id);
}

/** PUT /mailboxes/:id/senders: the whole list replaced (owner and admins; the caller checks that). */
export async function setMailboxSenders(db: Kysely<Database>, actor: Actor, mailbox: MailboxRow, userIds: string[]): Promise<string[]> {
  const wanted = [...new Set(userIds)].filter((id) => id !== mailbox.owner_user_id);
  if (wanted.length) {
    const found = await db.selectFrom('users').select('id').where('id', 'in', wanted).where('active', '=', true).execute();
    const known = new Set(found.map((u) => u.id));
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length)
      throw new ValidationError(
        'Some of these users do not exist or are deactivated.',
        unknown.map((id) => ({ path: `body.userIds.${userIds.indexOf(id)}`, message: 'no such active user' })),
      );
  }
  return auditedWrite(db, actor, async (trx) => {
    const before = await trx.selectFrom('mailbox_senders').select('user_id').where('mailbox_id', '=', mailbox.id).execute();
    await trx.deleteFrom('mailbox_senders').where('mailbox_id', '=', mailbox.id).execute();
    if (wanted.length)
      await trx
        .insertInto('mailbox_senders')
        .values(wanted.map((user_id) => ({ mailbox_id: mailbox.id, user_id, granted_by: actor.user.id })))
        .execute();
    const had = new Set(before.map((r) => r.user_id));
    return {
      result: wanted,
      audit: {
        action: 'mailbox.senders',
        targetType: 'mailbox',
        targetId: mailbox.id,
        detail: { added: wanted.filter((id) => !had.has(id)), removed: [...had].filter((id) => !wanted.includes(id)) },
      },
    };
  });
}
