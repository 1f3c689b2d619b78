import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';

/**
 * What was seen: `status`, the mailbox's status as written (a code when it needs attention; a status that
 * is fine says nothing, as "Sync now" clears it before anything is fixed); `healthy`, a sync round that
 * just worked (the one proof that the problem is gone).
 */
export type AttentionEvidence = 'status' | 'healthy';

/**
 * Says once that a mailbox started or stopped needing its owner: compares what was seen with the code
 * last announced (mailbox_attention) and, when they differ, records the new one, raises
 * `mailbox.attention` and leaves a notification for the owner and every active admin. The compare and the
 * record are one statement, so of several processes (or calls) seeing the same change only one announces
 * it. Returns the code announced, undefined when nothing changed.
 */
export async function announceAttention(
  db: Kysely<Database>,
  events: EventBus,
  mailboxId: string,
  seen: AttentionEvidence,
): Promise<string | null | undefined> {
  const mailbox = await db
    .selectFrom('mailboxes')
    .select(['owner_user_id', 'status', 'status_code'])
    .where('id', '=', mailboxId)
    .executeTakeFirst();
  if (!mailbox) return undefined;
  const needs = mailbox.status === 'needs_attention';
  if (seen === 'status' && !needs) return undefined;
  const code = seen === 'healthy' ? null : (mailbox.status_code ?? 'sync_failed');
  return db.transaction().execute(async (trx) => {
    // xmax = 0: the row was inserted now. A first look at a healthy mailbox is no change to announce.
    const changed = await sql<{ inserted: boolean }>`
      insert into mailbox_attention (mailbox_id, code) values (${mailboxId}, ${code})
      on conflict (mailbox_id) do update set code = excluded.code, changed_at = now()
        where mailbox_attention.code is distinct from excluded.code
      returning (xmax = 0) as inserted`.execute(trx);
    const row = changed.rows[0];
    if (!row || (row.inserted && code === null)) return undefined;
    const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', true).execute();
    const recipients = [...new Set([mailbox.owner_user_id, ...admins.map((a) => a.id)])];
    await trx
      .insertInto('notifications')
      .values(
        recipients.map((userId) => ({
          user_id: userId,
          kind: code === null ? ('mailbox_recovered' as const) : ('mailbox_attention' as const),
          mailbox_id: mailboxId,
          code,
        })),
      )
      .execute();
    events.emit('mailbox.attention', { mailboxId, ownerUserId: mailbox.owner_user_id, code });
    return code;
  });
}
