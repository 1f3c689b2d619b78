import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { reactivateMailbox } from '../mailboxes/mailbox-status.ts';
import { SyncError } from './errors.ts';
import type { SyncSupervisor } from './supervisor.ts';

/** "Sync now": takes the mailbox out of needs_attention (the user says the problem is fixed) and wakes its runner. */
export async function requestSync(db: Kysely<Database>, sync: SyncSupervisor | null | undefined, mailboxId: string): Promise<void> {
  await reactivateMailbox(db, mailboxId, ['needs_attention']);
  if (!sync) throw new SyncError('sync_disabled', 'Sync is switched off on this server (TIDINGS_SYNC=off).');
  await sync.syncNow(mailboxId);
}
