/** The sync engine: per-folder runner, per-mailbox runner, and the per-process supervisor with leases. */
export { createSyncSupervisor, mailboxSyncStatus, type SupervisorOptions, type SyncSupervisor } from './supervisor.ts';
export { syncFolder, cursorGeneration, type FolderSyncDeps, type FolderSyncResult } from './folder-sync.ts';
export { mailConnectorFactory, SyncSetupError, type ConnectorFactory } from './connector-factory.ts';
export { syncHostChecker, type SyncHostCheck } from './mail-host-check.ts';
export { acquireLease, renewLeases, releaseLeases, leaseHolder } from './leases.ts';
export { Backoff } from './backoff.ts';
export type { SyncState, SyncStatus, FolderProgress, SyncCounters } from './status.ts';
