import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { syncFailures } from '../metrics/counters.ts';
import type { SyncFailure } from './sync-failure.ts';

/** How many sync errors a mailbox keeps: enough to see a pattern, few enough that a flapping server cannot grow the table. */
export const SYNC_ERRORS_KEPT = 20;

/** Adds a failure to the mailbox's recent errors and drops the oldest beyond SYNC_ERRORS_KEPT. */
export async function recordSyncError(db: Kysely<Database>, mailboxId: string, failure: SyncFailure): Promise<void> {
  syncFailures.inc({ code: failure.code });
  await db
    .insertInto('mailbox_sync_errors')
    .values({
      mailbox_id: mailboxId,
      code: failure.code,
      params: JSON.stringify(failure.params),
      folder_name: (failure.params.folder as string | undefined) ?? null,
    })
    .execute();
  await sql`delete from mailbox_sync_errors where mailbox_id = ${mailboxId} and id not in (
    select id from mailbox_sync_errors where mailbox_id = ${mailboxId} order by at desc, id desc limit ${SYNC_ERRORS_KEPT})`.execute(db);
}

export async function recentSyncErrors(db: Kysely<Database>, mailboxId: string, limit = SYNC_ERRORS_KEPT) {
  return db
    .selectFrom('mailbox_sync_errors')
    .select(['code', 'params', 'folder_name', 'at'])
    .where('mailbox_id', '=', mailboxId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
