import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ParsedMessage } from '../ingest/index.ts';
import { lockBlobReferences } from './blob-index.ts';
import { attachmentRowValues, insertAttachmentRows, messageRowValues, participantsOf } from './batch.ts';
import { assignThreads } from './threads.ts';

/**
 * Stores a message Tidings just sent as a messages row of its mailbox (outbox_id set, no folder yet),
 * threaded as sync threads mail, so the thread and the timeline show it at once. When sync later
 * stores the Sent folder's copy, it merges into this row: same bytes by the (mailbox, raw hash) key,
 * other bytes by adoption (batch.ts adoptSentMessages). The raw source and attachment blobs must be in
 * the blob store already. Storing again (a retried finish) changes nothing and answers the same row.
 */
export async function storeSentMessage(
  db: Kysely<Database>,
  input: { mailboxId: string; outboxId: string; parsed: ParsedMessage; sentAt: Date },
): Promise<{ id: string; created: boolean }> {
  const { mailboxId, outboxId, parsed } = input;
  return db.transaction().execute(async (trx) => {
    await lockBlobReferences(trx, 'shared');
    const participants = participantsOf(parsed);
    const [threadId] = await assignThreads(trx, mailboxId, [{ parsed, participants, gmailThreadId: null }]);
    const incoming = {
      ref: {
        remoteId: '',
        stableId: null,
        threadId: null,
        flags: ['seen' as const],
        keywords: [],
        size: parsed.size,
        internalDate: input.sentAt,
        modseq: null,
      },
      parsed,
    };
    const row = await trx
      .insertInto('messages')
      .values({ ...messageRowValues(mailboxId, incoming, participants, threadId!), outbox_id: outboxId })
      .onConflict((oc) =>
        // The synced copy (same bytes) came first: it becomes the sent message.
        oc.columns(['mailbox_id', 'raw_sha256']).doUpdateSet({ outbox_id: sql`coalesce(messages.outbox_id, excluded.outbox_id)` }),
      )
      .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
      .executeTakeFirstOrThrow();
    if (row.inserted) await insertAttachmentRows(trx, attachmentRowValues(row.id, parsed));
    await trx.updateTable('outbox_messages').set({ sent_message_id: row.id }).where('id', '=', outboxId).execute();
    return { id: row.id, created: row.inserted };
  });
}
