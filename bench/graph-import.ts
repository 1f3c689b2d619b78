/**
 * The Graph run of bench:sync: the same messages in a Microsoft 365 mailbox of the Graph harness server
 * (tokens from the local Microsoft), imported by the sync engine over Microsoft Graph on a fresh database.
 * The harness server runs in this process, so it shares the CPU with Tidings: the figure is a lower bound
 * of what the connector does against a server on another machine.
 */
import path from 'node:path';
import fs from 'node:fs/promises';
import { createLogger } from '../src/app/logger.ts';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createEventBus } from '../src/events/index.ts';
import { createDiskBlobStore, createIngestPool } from '../src/ingest/index.ts';
import { dbBlobIndex } from '../src/store/blob-index.ts';
import { createSyncSupervisor, mailConnectorFactory } from '../src/sync/index.ts';
import { loadMasterKey, Vault } from '../src/vault/index.ts';
import { createPostgresDatabase } from '../test/support/database.ts';
import { bindGraphMailbox, startGraphWorld } from '../test/support/graph-mailbox.ts';
import { insertUser } from '../test/support/rows.ts';

const USER = 'bench@contoso.example';

export interface GraphImportResult {
  seconds: number;
  firstStoredAfter: number;
  requests: number;
  maxInFlight: number;
}

export async function graphImport(opts: {
  kind: 'postgres' | 'pglite';
  n: number;
  work: string;
  message: (i: number) => Buffer;
}): Promise<GraphImportResult> {
  const world = await startGraphWorld(USER);
  const dataDir = path.join(opts.work, `graph-${opts.kind}`);
  await fs.mkdir(dataDir, { recursive: true });
  const pg = opts.kind === 'postgres' ? await createPostgresDatabase() : null;
  const opened = await openDatabase({ databaseUrl: pg?.url ?? null, dataDir, pgliteDir: path.join(dataDir, 'pglite') });
  const pool = createIngestPool({ blobDir: path.join(dataDir, 'blobs') });
  try {
    for (let i = 0; i < opts.n; i++) world.graph.deliver(USER, 'inbox', opts.message(i), { isRead: i % 4 === 0 });
    await pool.warm();
    const db = opened.db;
    await migrateToLatest(db);
    const master = await loadMasterKey({ envKey: 'bench-master-key-0123456789abcdef', dataDir, create: true });
    const vault = await Vault.open(db, master!, dataDir);
    const { tokens } = await bindGraphMailbox(db, vault, world, { ownerUserId: await insertUser(db), email: USER });
    const events = createEventBus();
    let created = 0;
    let firstAt = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    events.on('message.created', () => {
      created++;
      if (created === 1) firstAt = performance.now();
      if (created >= opts.n) resolveDone();
    });
    const t0 = performance.now();
    const supervisor = createSyncSupervisor({
      db,
      log: createLogger('warn'),
      events,
      pool,
      blobs: createDiskBlobStore(path.join(dataDir, 'blobs'), { index: dbBlobIndex(db) }),
      connectorFor: mailConnectorFactory({ vault, tokens, checkHost: async () => undefined }),
      discoverMs: 1_000,
    });
    supervisor.start();
    await done;
    const seconds = (performance.now() - t0) / 1000;
    await supervisor.stop();
    return {
      seconds,
      firstStoredAfter: (firstAt - t0) / 1000,
      requests: world.graph.requests.length,
      maxInFlight: world.graph.maxInFlight,
    };
  } finally {
    await pool.close();
    await opened.close();
    await pg?.drop();
    await world.stop();
  }
}
