/**
 * A Tidings sync process for tests that kill it: syncs every mailbox in DATABASE_URL with small batches
 * and prints one line per stored batch. Usage: tsx test/sync/child-sync.ts (env: DATABASE_URL,
 * TIDINGS_DATA_DIR, TIDINGS_MASTER_KEY, HOLDER).
 */
import path from 'node:path';
import { createLogger } from '../../src/app/logger.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createEventBus } from '../../src/events/index.ts';
import { createDiskBlobStore, createIngestPool } from '../../src/ingest/index.ts';
import { dbBlobIndex } from '../../src/store/blob-index.ts';
import { createSyncSupervisor, imapConnectorFactory } from '../../src/sync/index.ts';
import { loadMasterKey, Vault } from '../../src/vault/index.ts';

const dataDir = process.env.TIDINGS_DATA_DIR!;
const { db } = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, dataDir });
const master = await loadMasterKey({ envKey: process.env.TIDINGS_MASTER_KEY!, dataDir, create: false });
const vault = await Vault.open(db, master!, dataDir);
const events = createEventBus();
let created = 0;
events.on('message.created', () => {
  created++;
  if (created % 10 === 0) process.stdout.write(`created ${created}\n`);
});
const supervisor = createSyncSupervisor({
  db, log: createLogger('warn'), events, pool: createIngestPool({ size: 1, blobDir: path.join(dataDir, 'blobs') }),
  blobs: createDiskBlobStore(path.join(dataDir, 'blobs'), { index: dbBlobIndex(db) }),
  connectorFor: imapConnectorFactory({ vault }), holder: process.env.HOLDER, batchSize: 10, discoverMs: 200, renewMs: 1_000, leaseTtlMs: 3_000,
});
supervisor.start();
process.stdout.write('started\n');
