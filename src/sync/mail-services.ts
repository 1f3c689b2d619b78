import type { Kysely } from 'kysely';
import type { Logger } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { createIngestPool, type BlobStore, type BlobTarget, type IngestPool } from '../ingest/index.ts';
import { openBlobStores } from '../store/blob-stores.ts';
import { schedulePackCompaction } from '../store/pack-compaction.ts';
import type { MailHostSettings } from '../mailboxes/host-policy.ts';
import type { Vault } from '../vault/index.ts';
import type { AccessTokenSource } from './access-token-source.ts';
import { mailConnectorFactory, type ConnectorFactory } from './connector-factory.ts';
import { syncHostChecker } from './mail-host-check.ts';
import { createSyncSupervisor, type SyncSupervisor } from './supervisor.ts';

/** The event bus, the blob store and (when sync is on) the supervisor with its ingest pool. */
export interface MailServicesOptions {
  /** The bus the sync engine announces on (already relayed to other processes, if any). */
  events: EventBus;
  /** The data directory; blobs live in its blob folder unless `blobTarget` names an object store. */
  dataDir: string;
  /** Where new blobs go (TIDINGS_BLOB_URL); default the data dir. */
  blobTarget?: BlobTarget;
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
  services: {
    events: EventBus;
    blobs: BlobStore;
    connectorFor: ConnectorFactory;
    sync: SyncSupervisor | null;
    /** The parse workers (null where sync is off); /metrics reads its queue. */
    ingestPool: IngestPool | null;
  };
  stop(): Promise<void>;
}> {
  const events = opts.events;
  const stores = openBlobStores(opts.db, opts.dataDir, opts.blobTarget ?? { kind: 'disk' });
  const { blobs, objects } = stores;
  const blobDir = stores.diskRoot;
  const connectorFor = mailConnectorFactory({
    vault: opts.vault,
    tokens: opts.tokens,
    extraCaPems: opts.extraCaPems,
    connector: { maxMessageBytes: opts.maxMessageBytes },
    checkHost: syncHostChecker({ db: opts.db, settings: opts.mailHosts }),
  });
  if (!opts.syncEnabled) {
    return { services: { events, blobs, connectorFor, sync: null, ingestPool: null }, stop: async () => stores.close() };
  }
  // Gives back the space of deleted mail's blobs, now and then (pack-compaction.ts).
  const compaction = schedulePackCompaction({ db: opts.db, root: blobDir, log: opts.log, objects });
  // On disk the parse workers append the blobs of what they parse to the same store's packs, and the
  // sync engine indexes them with the messages. With an object store they hand the bytes back and the
  // engine uploads them (BlobStore.put) before the batch that names them (docs/blob-storage.md).
  const pool = createIngestPool(objects ? {} : { blobDir });
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
    services: { events, blobs, connectorFor, sync, ingestPool: pool },
    async stop() {
      await sync.stop();
      await pool.close();
      await compaction.stop();
      stores.close();
    },
  };
}
