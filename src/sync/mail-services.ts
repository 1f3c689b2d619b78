import type { Kysely } from 'kysely';
import type { Logger } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { blobRootIn, createDiskBlobStore, createIngestPool, type BlobStore } from '../ingest/index.ts';
import { dbBlobIndex } from '../store/blob-index.ts';
import { schedulePackCompaction } from '../store/pack-compaction.ts';
import type { MailHostSettings } from '../mailboxes/host-policy.ts';
import type { Vault } from '../vault/index.ts';
import type { AccessTokenSource } from './access-token-source.ts';
import { mailConnectorFactory, type ConnectorFactory } from './connector-factory.ts';
import { syncHostChecker } from './mail-host-check.ts';
import { createSyncSupervisor, type SyncSupervisor } from './supervisor.ts';

/** The blob store and (when sync is on) the supervisor with its ingest pool and the blob compaction. */
export interface MailServicesOptions {
  /** The bus the sync engine announces on (already relayed to other processes, if any). */
  events: EventBus;
  /** The data directory; blobs live in its blob folder. */
  dataDir: string;
  /** false: no sync supervisor, parse workers or compaction in this process (another process syncs). */
  syncEnabled: boolean;
  /** A mailbox lease's lifetime (TIDINGS_SYNC_LEASE_SECONDS); renewals and discovery run every third of it, at most 5 s apart for discovery. */
  leaseMs?: number;
  db: Kysely<Database>;
  log: Logger;
  vault: Vault;
  /** Access tokens for mailboxes bound with OAuth (auth_kind 'oauth2'). */
  tokens?: AccessTokenSource;
  extraCaPems?: string[];
  /** Messages over this size are stored with their headers only (TIDINGS_MAX_MESSAGE_MB). */
  maxMessageBytes?: number;
  /** The operator's rules for local and private mail hosts, checked again before each connection. */
  mailHosts: MailHostSettings;
}

export async function startMailServices(opts: MailServicesOptions): Promise<{
  services: { events: EventBus; blobs: BlobStore; connectorFor: ConnectorFactory; sync: SyncSupervisor | null };
  stop(): Promise<void>;
}> {
  const events = opts.events;
  const blobDir = blobRootIn(opts.dataDir);
  const blobs = createDiskBlobStore(blobDir, { index: dbBlobIndex(opts.db) });
  const connectorFor = mailConnectorFactory({
    vault: opts.vault,
    tokens: opts.tokens,
    extraCaPems: opts.extraCaPems,
    connector: { maxMessageBytes: opts.maxMessageBytes },
    checkHost: syncHostChecker({ db: opts.db, settings: opts.mailHosts }),
  });
  if (!opts.syncEnabled) return { services: { events, blobs, connectorFor, sync: null }, stop: async () => {} };
  // Gives back the space of deleted mail's blobs, now and then (pack-compaction.ts).
  const compaction = schedulePackCompaction({ db: opts.db, root: blobDir, log: opts.log });
  // The parse workers append the blobs of what they parse to the same store's packs; the sync engine
  // indexes them with the messages.
  const pool = createIngestPool({ blobDir });
  const leaseMs = opts.leaseMs ?? 30_000;
  const sync = createSyncSupervisor({
    db: opts.db,
    log: opts.log,
    events,
    pool,
    blobs,
    connectorFor,
    leaseTtlMs: leaseMs,
    renewMs: Math.round(leaseMs / 3),
    discoverMs: Math.min(5_000, Math.round(leaseMs / 3)),
  });
  sync.start();
  return {
    services: { events, blobs, connectorFor, sync },
    async stop() {
      await sync.stop();
      await pool.close();
      await compaction.stop();
    },
  };
}
