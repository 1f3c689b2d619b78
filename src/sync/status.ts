export type SyncState = 'idle' | 'importing' | 'syncing' | 'watching' | 'backoff' | 'needs_attention' | 'paused' | 'stopped';

export interface FolderProgress {
  folderId: string;
  name: string;
  done: number;
  total: number;
  ratePerSec: number | null;
  etaSeconds: number | null;
}

export interface SyncCounters {
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  bytes: number;
  /** Listed messages skipped after the server repeatedly did not return them (see the folder's last_error). */
  fetchFailed: number;
}

export interface SyncStatus {
  mailboxId: string;
  state: SyncState;
  /** Whether this process, another one, or nobody holds the mailbox's lease. */
  holder: 'this' | 'other' | 'none';
  lastSuccessAt: string | null;
  /** How far the store may be behind the server: 0 while watching with nothing pending. */
  lagMs: number | null;
  lastError: string | null;
  /** The last failure as a code of the one catalogue and its parameters (explained by the API); null after a good round. */
  lastFailure: { code: string; params: Record<string, string | number>; at: string } | null;
  counters: SyncCounters;
  /** Listed messages the server has not returned yet, kept to be tried again (none are dropped). */
  waitingForRetry: number;
  progress: FolderProgress[];
}

export const emptyCounters = (): SyncCounters => ({ fetched: 0, created: 0, updated: 0, deleted: 0, bytes: 0, fetchFailed: 0 });
