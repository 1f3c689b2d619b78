import type { Kysely } from 'kysely';
import type { Config } from '../app/config.ts';
import type { Logger } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';
import { createEventBus, type EventBus } from '../events/index.ts';
import { blobRootIn, createDiskBlobStore, createIngestPool, type BlobStore } from '../ingest/index.ts';
import { dbBlobIndex } from '../store/blob-index.ts';
import { schedulePackCompaction } from '../store/pack-compaction.ts';
import type { Vault } from '../vault/index.ts';
import { imapConnectorFactory, type ConnectorFactory } from './connector-factory.ts';
import { createSyncSupervisor, type SyncSupervisor } from './supervisor.ts';

/** The event bus, the blob store and (when sync is on) the supervisor with its ingest pool. */
export async function startMailServices(opts: { config: Config; db: Kysely<Database>; log: Logger; vault: Vault; extraCaPems?: string[] }): Promise<{
  services: { events: EventBus; blobs: BlobStore; connectorFor: ConnectorFactory; sync: SyncSupervisor | null };
  stop(): Promise<void>;
}> {
  const events = createEventBus();
  const blobDir = blobRootIn(opts.config.dataDir);
  const blobs = createDiskBlobStore(blobDir, { index: dbBlobIndex(opts.db) });
  const connectorFor = imapConnectorFactory({ vault: opts.vault, extraCaPems: opts.extraCaPems });
  // Gives back the space of deleted mail's blobs, now and then (pack-compaction.ts).
  const compaction = schedulePackCompaction({ db: opts.db, root: blobDir, log: opts.log });
  if (!opts.config.syncEnabled) return { services: { events, blobs, connectorFor, sync: null }, stop: () => compaction.stop() };
  // The parse workers append the blobs of what they parse to the same store's packs; the sync engine
  // indexes them with the messages.
  const pool = createIngestPool({ blobDir });
  const sync = createSyncSupervisor({ db: opts.db, log: opts.log, events, pool, blobs, connectorFor });
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
