/**
 * A Tidings outbox worker alone in a process, for tests that kill it: sends the due rows of DATABASE_URL
 * (PostgreSQL) with the blobs of TIDINGS_DATA_DIR. With TIDINGS_TEST_OUTBOX_HOLD_AT it prints
 * `outbox-hold <point> <id>` and stops there (src/outbox/test-hold.ts). Usage: tsx test/support/child-outbox.ts
 * (env: DATABASE_URL, TIDINGS_DATA_DIR, TIDINGS_MASTER_KEY, HOLDER, OUTBOX_LEASE_MS).
 */
import path from 'node:path';
import { createLogger } from '../../src/app/logger.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createEventBus } from '../../src/events/index.ts';
import { createDiskBlobStore } from '../../src/ingest/index.ts';
import { mailSenderFactory } from '../../src/outbox/sender-factory.ts';
import { startOutboxWorker } from '../../src/outbox/worker.ts';
import { dbBlobIndex } from '../../src/store/blob-index.ts';
import { mailConnectorFactory } from '../../src/sync/index.ts';
import { loadMasterKey, Vault } from '../../src/vault/index.ts';

const dataDir = process.env.TIDINGS_DATA_DIR!;
const { db } = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, dataDir });
const master = await loadMasterKey({ envKey: process.env.TIDINGS_MASTER_KEY!, dataDir, create: false });
const vault = await Vault.open(db, master!, dataDir);
const allowAll = async () => undefined;
const worker = startOutboxWorker({
  db,
  log: createLogger('warn'),
  events: createEventBus(),
  blobs: createDiskBlobStore(path.join(dataDir, 'blobs'), { index: dbBlobIndex(db) }),
  connectorFor: mailConnectorFactory({ vault, checkHost: allowAll }),
  senderFor: mailSenderFactory({ vault, checkHost: allowAll }),
  holder: process.env.HOLDER,
  leaseTtlMs: Number(process.env.OUTBOX_LEASE_MS ?? 2_000),
  pollMs: 100,
  retryDelaysMs: [200],
});
worker.start();
process.stdout.write('started\n');
