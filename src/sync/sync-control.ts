import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { leaseHolder } from './leases.ts';
import { storedStatus, type SyncSupervisor } from './supervisor.ts';

/** Look for new, changed or removed mailboxes now (a mailbox was bound, changed or removed). */
export interface SyncRefreshEvent {
  /** Why, for the logs; never a mailbox id, so event streams do not carry it to browsers. */
  reason: 'mailboxes_changed';
}

/** "Sync now" for a mailbox, answered by whichever process holds its lease. */
export interface SyncRequestedEvent {
  requestedMailboxId: string;
}

declare module '../events/bus.ts' {
  interface EventMap {
    'sync.refresh': SyncRefreshEvent;
    'sync.requested': SyncRequestedEvent;
  }
}

/**
 * The sync supervisor as the API sees it when several processes share the mailboxes: a refresh reaches
 * every sync process, "sync now" reaches the one holding the mailbox, and a status is this process's
 * runner's or else the stored one. `local` is null in the web role.
 */
export function sharedSyncControl({
  db,
  events,
  local,
}: {
  db: Kysely<Database>;
  events: EventBus;
  local: SyncSupervisor | null;
}): SyncSupervisor {
  const broadcastRefresh = () => events.emit('sync.refresh', { reason: 'mailboxes_changed' });
  return {
    holder: local?.holder ?? 'none',
    start: () => local?.start(),
    stop: async () => local?.stop(),
    prepare: () => local?.prepare(),
    async refresh() {
      broadcastRefresh();
      await local?.refresh();
    },
    async syncNow(mailboxId) {
      if (local?.held().includes(mailboxId)) return local.syncNow(mailboxId);
      events.emit('sync.requested', { requestedMailboxId: mailboxId });
      await local?.syncNow(mailboxId);
    },
    pause(mailboxId) {
      local?.pause(mailboxId);
      broadcastRefresh(); // the holder sees the paused row at its refresh
    },
    resume(mailboxId) {
      local?.resume(mailboxId);
      broadcastRefresh();
    },
    async status(mailboxId) {
      if (local) return local.status(mailboxId);
      return storedStatus(db, mailboxId, (await leaseHolder(db, mailboxId)) ? 'other' : 'none');
    },
    held: () => local?.held() ?? [],
  };
}

/** A sync process answers the refreshes and "sync now" requests other processes raise; returns the unsubscribe function. */
export function answerSyncRequests(events: EventBus, sync: SyncSupervisor): () => void {
  return events.subscribe((event, origin) => {
    if (origin !== 'remote') return; // this process's own requests went to its supervisor directly
    if (event.type === 'sync.refresh') void sync.refresh();
    else if (event.type === 'sync.requested' && sync.held().includes(event.data.requestedMailboxId))
      void sync.syncNow(event.data.requestedMailboxId);
  });
}
