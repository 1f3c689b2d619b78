/**
 * Times the sync engine's first import of one mailbox in this process, on a fresh database: what the
 * Graph and EWS runs of bench:sync share. `bind` stores the mailbox (on a harness server that already
 * holds `n` messages) and returns the token source it signs in with, if any.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../src/app/logger.ts';
import { type Database, migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createEventBus } from '../src/events/index.ts';
import { createDiskBlobStore, createIngestPool } from '../src/ingest/index.ts';
import { dbBlobIndex } from '../src/store/blob-index.ts';
import type { AccessTokenSource } from '../src/sync/access-token-source.ts';
import { createSyncSupervisor, mailConnectorFactory } from '../src/sync/index.ts';
import { loadMasterKey, Vault } from '../src/vault/index.ts';
import { createPostgresDatabase } from '../test/support/database.ts';
import type { Kysely } from 'kysely';

export async function timeInProcessImport(opts: {
  /** Names the run's data folder. */
  name: string;
  kind: string;
  work: string;
  n: number;
  bind: (db: Kysely<Database>, vault: Vault) => Promise<{ tokens?: AccessTokenSource }>;
}): Promise<{ seconds: number; firstStoredAfter: number }> {
  const dataDir = path.join(opts.work, `${opts.name}-${opts.kind}`);
  await fs.mkdir(dataDir, { recursive: true });
  const pg = opts.kind === 'postgres' ? await createPostgresDatabase() : null;
  const opened = await openDatabase({ databaseUrl: pg?.url ?? null, dataDir, pgliteDir: path.join(dataDir, 'pglite') });
  const pool = createIngestPool({ blobDir: path.join(dataDir, 'blobs') });
  try {
    await pool.warm();
    const db = opened.db;
    await migrateToLatest(db);
    const master = await loadMasterKey({ envKey: 'bench-master-key-0123456789abcdef', dataDir, create: true });
    const vault = await Vault.open(db, master!, dataDir);
    const { tokens } = await opts.bind(db, vault);
    const events = createEventBus();
    let created = 0;
    let firstAt = 0;
    const done = new Promise<void>((resolve) =>
      events.on('message.created', () => {
        if (++created === 1) firstAt = performance.now();
        if (created >= opts.n) resolve();
      }),
    );
    const t0 = performance.now();
    const supervisor = createSyncSupervisor({
      db,
      log: createLogger('warn'),
      events,
      pool,
      blobs: createDiskBlobStore(path.join(dataDir, 'blobs'), { index: dbBlobIndex(db) }),
      // The harness servers listen on loopback, which the bench allows.
      connectorFor: mailConnectorFactory({ vault, ...(tokens && { tokens }), checkHost: async () => undefined }),
      discoverMs: 1_000,
    });
    supervisor.start();
    await done;
    const seconds = (performance.now() - t0) / 1000;
    await supervisor.stop();
    return { seconds, firstStoredAfter: (firstAt - t0) / 1000 };
  } finally {
    await pool.close();
    await opened.close();
    await pg?.drop();
  }
}
