import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { loadMasterKey, Vault } from '../../src/vault/index.ts';
import { startDovecot, type DovecotInstance } from '../harness/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { insertServerMailbox, insertUser } from '../support/rows.ts';
import { startSyncChild } from '../support/sync-child.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'emb@example.test';
const PASS = 'emb-password-1';
const KEY = 'test-master-key-0123456789abcdef';
const N = 240;

/**
 * The embedded database through a crash: only one process may open it, so the test opens it only
 * while no sync process runs. A process killed mid-import leaves its lock and its lease; the next one
 * takes both over and ends with exactly the server's messages.
 */
describe('kill -9 mid-import on the embedded database', () => {
  let dovecot: DovecotInstance;
  let dataDir: string;
  const children: ChildProcess[] = [];

  function startChild(holder: string): ReturnType<typeof startSyncChild> {
    const started = startSyncChild({ databaseUrl: '', dataDir, masterKey: KEY, holder });
    children.push(started.child);
    return started;
  }
  const kill = async (child: ChildProcess) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  };
  async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
    const opened = await openDatabase({ databaseUrl: null, dataDir });
    try {
      return await fn(opened.db);
    } finally {
      await opened.close();
    }
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-crash-'));
    dovecot = await startDovecot();
    await dovecot.addUser(USER, PASS);
    for (let i = 0; i < N; i++)
      await dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'emb', attachmentBytes: i % 10 === 0 ? 20_000 : 0 }));
    await withDatabase(async (db) => {
      await migrateToLatest(db);
      const vault = await Vault.open(db, (await loadMasterKey({ envKey: KEY, dataDir, create: false }))!, dataDir);
      await insertServerMailbox(db, vault, dovecot, { ownerUserId: await insertUser(db), email: USER, password: PASS });
    });
  }, 120_000);
  afterAll(async () => {
    for (const c of children) await kill(c);
    await dovecot?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("a second process takes the database and the mailbox over, and stores exactly the server's messages", {
    timeout: 120_000,
  }, async () => {
    const a = startChild('child-a');
    await waitFor('the first process to store some messages', async () => /created [4-9]0\n/.test(a.output()), 60_000, 20);
    await kill(a.child);
    // Its lock is left behind; a dead holder's is taken over.
    await expect(fs.access(path.join(dataDir, 'pglite.lock'))).resolves.toBeUndefined();
    const partial = await withDatabase(async (db) =>
      Number(
        (
          await db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    expect(partial, a.output()).toBeGreaterThan(0);
    expect(partial, a.output()).toBeLessThan(N);

    const b = startChild('child-b');
    await waitFor('the second process to finish the import', async () => / watching\n/.test(b.output()), 90_000, 50);
    await kill(b.child);
    await withDatabase(async (db) => {
      const rows = await db.selectFrom('messages').select('message_id_header').execute();
      expect(rows, b.output()).toHaveLength(N);
      expect(new Set(rows.map((r) => r.message_id_header))).toEqual(new Set(Array.from({ length: N }, (_, i) => `<emb-${i}@example.com>`)));
      const lease = await db.selectFrom('sync_leases').select('holder').executeTakeFirstOrThrow();
      expect(lease.holder).toBe('child-b');
    });
  });
});
