/**
 * A Tidings sync process for tests that kill it: syncs every mailbox in DATABASE_URL (empty: the
 * embedded database in TIDINGS_DATA_DIR) with small batches and prints a line per 10 messages stored
 * and per change of a mailbox's state. Usage: tsx test/support/child-sync.ts (env: DATABASE_URL,
 * TIDINGS_DATA_DIR, TIDINGS_MASTER_KEY, HOLDER; TIDINGS_TEST_ACCESS_TOKEN: the token OAuth mailboxes sign in with).
 */
import path from 'node:path';
import { createLogger } from '../../src/app/logger.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createEventBus } from '../../src/events/index.ts';
import { createDiskBlobStore, createIngestPool } from '../../src/ingest/index.ts';
import { dbBlobIndex } from '../../src/store/blob-index.ts';
import { createSyncSupervisor, mailConnectorFactory, syncHostChecker } from '../../src/sync/index.ts';
import { loadMasterKey, Vault } from '../../src/vault/index.ts';

const dataDir = process.env.TIDINGS_DATA_DIR!;
const { db } = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, dataDir });
const master = await loadMasterKey({ envKey: process.env.TIDINGS_MASTER_KEY!, dataDir, create: false });
const vault = await Vault.open(db, master!, dataDir);
const testToken = process.env.TIDINGS_TEST_ACCESS_TOKEN;
const events = createEventBus();
let created = 0;
events.onLocal('message.created', () => {
  created++;
  if (created % 10 === 0) process.stdout.write(`created ${created}\n`);
});
const supervisor = createSyncSupervisor({
  db,
  log: createLogger('warn'),
  events,
  pool: createIngestPool({ size: 1, blobDir: path.join(dataDir, 'blobs') }),
  blobs: createDiskBlobStore(path.join(dataDir, 'blobs'), { index: dbBlobIndex(db) }),
  connectorFor: mailConnectorFactory({
    vault,
    ...(testToken ? { tokens: { accessTokenFor: async () => testToken } } : {}),
    checkHost: syncHostChecker({ db, settings: { allowLocalMailHosts: true, allowPrivateMailHostsForMembers: false } }),
  }),
  holder: process.env.HOLDER,
  batchSize: 10,
  discoverMs: 200,
  renewMs: 1_000,
  leaseTtlMs: 3_000,
});
supervisor.start();
process.stdout.write('started\n');
// "state <mailbox> <state>" on every change, so a test can tell the import is over (watching) without
// opening the database, which an embedded one would refuse while this process holds it.
const states = new Map<string, string>();
setInterval(async () => {
  for (const id of supervisor.held()) {
    const { state } = await supervisor.status(id);
    if (states.get(id) !== state) process.stdout.write(`state ${id} ${state}\n`);
    states.set(id, state);
  }
}, 100);
