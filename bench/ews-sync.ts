import fs from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../src/app/logger.ts';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createEventBus } from '../src/events/index.ts';
import { createDiskBlobStore, createIngestPool } from '../src/ingest/index.ts';
import { dbBlobIndex } from '../src/store/blob-index.ts';
import { createSyncSupervisor, mailConnectorFactory, syncHostChecker } from '../src/sync/index.ts';
import { loadMasterKey, Vault } from '../src/vault/index.ts';
import { startEwsServer } from '../test/harness/index.ts';
import { createPostgresDatabase } from '../test/support/database.ts';
import { insertEwsMailbox } from '../test/support/ews.ts';
import { insertUser } from '../test/support/rows.ts';

/**
 * The engine's import of an Exchange mailbox over EWS (the harness server, NTLM, GetItem MimeContent),
 * the same messages as the IMAP run: seconds until every message is stored, in this process.
 */
export async function ewsEngineImport(opts: {
  kind: string;
  work: string;
  messages: Buffer[];
}): Promise<{ seconds: number; bytes: number }> {
  const ews = await startEwsServer();
  const dataDir = path.join(opts.work, `tidings-ews-${opts.kind}`);
  await fs.mkdir(dataDir, { recursive: true });
  const pg = opts.kind === 'postgres' ? await createPostgresDatabase() : null;
  const opened = await openDatabase({ databaseUrl: pg?.url ?? null, dataDir, pgliteDir: path.join(dataDir, 'pglite') });
  const pool = createIngestPool({ blobDir: path.join(dataDir, 'blobs') });
  await pool.warm();
  try {
    const email = 'bench@contoso.test';
    ews.addUser({ email, username: 'CONTOSO\\bench', password: 'bench-password-1' });
    for (const [i, raw] of opts.messages.entries()) ews.deliver(email, 'inbox', raw, { isRead: i % 4 === 0, event: false });
    await migrateToLatest(opened.db);
    const master = await loadMasterKey({ envKey: 'bench-master-key-0123456789abcdef', dataDir, create: false });
    const vault = await Vault.open(opened.db, master!, dataDir);
    await insertEwsMailbox(opened.db, vault, ews, {
      ownerUserId: await insertUser(opened.db),
      email,
      username: 'CONTOSO\\bench',
      password: 'bench-password-1',
    });
    const events = createEventBus();
    let created = 0;
    const done = new Promise<void>((resolve) => events.on('message.created', () => ++created >= opts.messages.length && resolve()));
    const t0 = performance.now();
    const supervisor = createSyncSupervisor({
      db: opened.db,
      log: createLogger('warn'),
      events,
      pool,
      blobs: createDiskBlobStore(path.join(dataDir, 'blobs'), { index: dbBlobIndex(opened.db) }),
      connectorFor: mailConnectorFactory({
        vault,
        checkHost: syncHostChecker({ db: opened.db, settings: { allowLocalMailHosts: true, allowPrivateMailHostsForMembers: false } }),
      }),
      discoverMs: 1_000,
    });
    supervisor.start();
    await done;
    const seconds = (performance.now() - t0) / 1000;
    await supervisor.stop();
    return { seconds, bytes: opts.messages.reduce((n, m) => n + m.length, 0) };
  } finally {
    await pool.close();
    await opened.close();
    await pg?.drop();
    await ews.stop();
  }
}
