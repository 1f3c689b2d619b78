import type { Kysely } from 'kysely';
import type { Actor } from '../audit/index.ts';
import { dealRecord } from '../crm/deals/record.ts';
import { editableRecord } from '../crm/shared/records.ts';
import { commitWrite } from '../crm/shared/write.ts';
import type { Database } from '../db/schema.ts';
import { NotFoundError } from '../kernel/index.ts';
import { readableMailboxes } from '../store/visibility.ts';
import { linkDealThread, unlinkDealThread } from './deal-threads.ts';

/** Links a mail thread to a deal the actor may change; a thread in a mailbox they cannot read does not exist for them. */
export async function linkThreadToDeal(
  db: Kysely<Database>,
  actor: Actor,
  dealId: string,
  threadId: string,
): Promise<{ dealId: string; threadId: string }> {
  const deal = await editableRecord(db, dealRecord, actor, dealId);
  const thread = await db.selectFrom('threads').select(['id', 'mailbox_id']).where('id', '=', threadId).executeTakeFirst();
  if (!thread || !(await readableMailboxes(db, actor.user.id, [thread.mailbox_id])).size) throw new NotFoundError('thread');
  return commitWrite({ db }, actor, async (trx) => {
    await linkDealThread(trx, deal.id, thread.id, actor.user.id);
    return {
      result: { dealId: deal.id, threadId: thread.id },
      audit: { action: 'deal.thread_link', targetType: 'deal', targetId: deal.id, detail: { threadId: thread.id } },
    };
  });
}

/** Takes a thread off a deal the actor may change. */
export async function unlinkThreadFromDeal(db: Kysely<Database>, actor: Actor, dealId: string, threadId: string): Promise<void> {
  const deal = await editableRecord(db, dealRecord, actor, dealId);
  await commitWrite({ db }, actor, async (trx) => {
    if (!(await unlinkDealThread(trx, deal.id, threadId))) throw new NotFoundError('deal thread');
    return { result: undefined, audit: { action: 'deal.thread_unlink', targetType: 'deal', targetId: deal.id, detail: { threadId } } };
  });
}
