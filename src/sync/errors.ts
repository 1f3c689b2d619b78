import { DomainError } from '../kernel/index.ts';

export type SyncErrorCode = 'sync_disabled';

/** A sync request this process cannot serve (sync switched off with TIDINGS_SYNC=off). */
export class SyncError extends DomainError<SyncErrorCode> {}
