import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { type DovecotInstance, type S3Instance, startDovecot, startS3 } from '../harness/index.ts';
import { attachmentBytes, fixtureMessage, sha256 } from '../support/corpus.ts';
import { createPgliteFolder, createPostgresDatabase } from '../support/database.ts';
import { HttpSession, readWorld, seededServerWorld, startServerOn, waitForMessages } from '../support/ops-server.ts';
import { runCli } from '../support/cli.ts';
import { waitFor } from '../support/wait.ts';

const MASTER_KEY = 'move-test-master-key-0123456789';
const ATTACHMENT = 25_000; // large enough that the disk store keeps the raw source without the attachment's base64

/** The real `tidings` command, for a run the test kills part-way. */
function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [path.resolve('bin/tidings.js'), ...args], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : -2))));
  return { child, output: () => out, done };
}

describe('tidings db move-to-postgres', { timeout: 300_000 }, () => {
  let dovecot: DovecotInstance;
  let dataDir: string;
  let pg: { url: string; drop(): Promise<void> };
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-move-'));
    [dovecot, pg] = await Promise.all([startDovecot(), createPostgresDatabase(), createPgliteFolder(path.join(dataDir, 'pglite'))]);
  }, 120_000);
  afterAll(async () => {
    for (const clean of cleanups.reverse()) await clean();
    await dovecot?.stop();
    await pg?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('moves mail, CRM rows and the vault into PostgreSQL; the server reads the same and keeps syncing', async () => {
    const user = 'move@example.test';
    const { ids, before } = await seededServerWorld(
      { dataDir, env: { TIDINGS_MASTER_KEY: MASTER_KEY } },
      { dovecot, user, password: 'pw-move', messages: [0, 7, 14].map((i) => fixtureMessage(i, { tag: 'move' })) },
    );

    const moved = await runCli(['db', 'move-to-postgres', '--to', pg.url], { TIDINGS_DATA_DIR: dataDir, TIDINGS_MASTER_KEY: MASTER_KEY });
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toMatch(/messages: 3 row\(s\), checksum [0-9a-f]{12} verified/);
    expect(moved.stdout).toContain("every table's count and checksum match");
    expect(moved.stdout).toContain('DATABASE_URL=');

    const onPostgres = await startServerOn({ dataDir, databaseUrl: pg.url, env: { TIDINGS_MASTER_KEY: MASTER_KEY } });
    try {
      const admin = await HttpSession.signIn(onPostgres.url);
      expect(await readWorld(admin, ids)).toEqual(before);
      // The mailbox password decrypts from the moved vault: new mail arrives.
      await dovecot.append(user, 'INBOX', fixtureMessage(21, { tag: 'move' }));
      const subjects = await waitForMessages(admin, 4);
      expect(subjects).toContain('Quarterly numbers move 21');
    } finally {
      await onPostgres.stop();
    }

    const again = await runCli(['db', 'move-to-postgres', '--to', pg.url], { TIDINGS_DATA_DIR: dataDir, TIDINGS_MASTER_KEY: MASTER_KEY });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^tidings: The target database already holds Tidings users or mailboxes/);
  });

  it('--with-blobs: moves the blobs into a bucket, resumable and verified; a server with a fresh data dir reads every byte', async () => {
    const sourceDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-move-blobs-'));
    const freshDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-move-fresh-'));
    const s3: S3Instance = await startS3();
    const target = await createPostgresDatabase();
    cleanups.push(
      () => fs.rm(sourceDir, { recursive: true, force: true }),
      () => fs.rm(freshDir, { recursive: true, force: true }),
      () => s3.stop(),
      () => target.drop(),
    );
    await createPgliteFolder(path.join(sourceDir, 'pglite'));
    const env = { TIDINGS_DATA_DIR: sourceDir, TIDINGS_MASTER_KEY: MASTER_KEY, LOG_LEVEL: 'warn' };
    const user = 'blobs@example.test';

    // Embedded, on disk: three messages from the contact, each with an attachment.
    const bytesBefore = new Map<string, { raw: string; attachment: string }>();
    const { ids, before } = await seededServerWorld(
      { dataDir: sourceDir, env: { TIDINGS_MASTER_KEY: MASTER_KEY } },
      {
        dovecot,
        user,
        password: 'pw-blobs',
        messages: [0, 7, 14].map((i) => fixtureMessage(i, { tag: 'blobs', attachmentBytes: ATTACHMENT + i })),
      },
      async (admin) => {
        for (const id of await messageIds(admin)) bytesBefore.set(id, await messageBytes(admin, id));
      },
    );
    const source = await openDatabase({ databaseUrl: null, dataDir: sourceDir });
    const sourceBlobs = (await source.db.selectFrom('blob_locations').select('sha256').execute()).map((r) => r.sha256).sort();
    await source.close();
    expect(sourceBlobs.length).toBeGreaterThanOrEqual(6); // three raw sources, three attachments

    const move = ['db', 'move-to-postgres', '--to', target.url, '--with-blobs', '--blob-url'];
    // A bucket that does not answer: refused before anything is written.
    const down = await runCli([...move, s3.blobUrl('moved').replace(String(s3.port), '1')], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^tidings: object store s3:\/\/tidings-test-blobs\/moved at http:\/\/127\.0\.0\.1:1 could not store blob .*\(blob_store_unavailable\)\n$/,
    );
    expect(down.stderr).not.toContain('S3RVER:S3RVER');

    // Killed after two blobs: the tables are in, two blobs are switched to the bucket.
    const held = spawnCli([...move, s3.blobUrl('moved')], { ...env, TIDINGS_TEST_BLOBS_MOVE_HOLD_AFTER: '2' });
    await waitFor('the move to hold after two blobs', async () => held.output().includes('held after 2'), 120_000);
    held.child.kill('SIGKILL');
    expect(await held.done).toBe(-1);
    expect(held.output()).toContain("every table's count and checksum match");

    // The data dir lost its packs meanwhile: the blobs not yet moved are named, nothing else changes.
    const packs = path.join(sourceDir, 'blobs', 'packs');
    await fs.rename(packs, `${packs}.aside`);
    const missing = await runCli([...move, s3.blobUrl('moved')], env);
    await fs.rename(`${packs}.aside`, packs);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('An earlier run copied the tables');
    expect(missing.stderr).toMatch(
      new RegExp(`^tidings: ${sourceBlobs.length - 2} blob\\(s\\) in .* are missing .*\\(blob_missing\\)\\n$`),
    );

    // Run again: it goes on with the rest, and counts what the bucket holds.
    const resumed = await runCli([...move, s3.blobUrl('moved')], env);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('An earlier run copied the tables');
    expect(resumed.stdout).toContain(`Moved ${sourceBlobs.length - 2} blob(s)`);
    expect(resumed.stdout).toMatch(new RegExp(`The bucket now holds ${sourceBlobs.length} blob\\(s\\), \\d+\\.\\d MB`));
    expect(resumed.stdout).toContain('TIDINGS_BLOB_URL set to the --blob-url given');
    expect(resumed.stdout).not.toContain('S3RVER:S3RVER');
    expect(await s3.objectKeys()).toEqual(sourceBlobs.map((sha) => `moved/${sha}`));

    // Another machine: its own, empty data dir; the database and the bucket hold everything.
    const moved = await startServerOn({
      dataDir: freshDir,
      databaseUrl: target.url,
      env: { TIDINGS_MASTER_KEY: MASTER_KEY, TIDINGS_BLOB_URL: s3.blobUrl('moved') },
    });
    try {
      const admin = await HttpSession.signIn(moved.url);
      expect(await readWorld(admin, ids)).toEqual(before);
      const bytesAfter = new Map<string, { raw: string; attachment: string }>();
      for (const id of await messageIds(admin)) bytesAfter.set(id, await messageBytes(admin, id));
      expect(bytesAfter).toEqual(bytesBefore);
      expect([...bytesAfter.values()].map((b) => b.attachment).sort()).toEqual(
        [0, 7, 14].map((i) => sha256(attachmentBytes(i, ATTACHMENT + i))).sort(),
      );
    } finally {
      await moved.stop();
    }
    // The fresh data dir got no blob of the source's; the source's packs are still there, unchanged.
    expect(await fs.readdir(path.join(freshDir, 'blobs', 'packs')).catch(() => [])).toEqual([]);
    expect((await fs.readdir(packs)).length).toBeGreaterThan(0);

    // Disk to disk: the blobs folder into a new data dir, for a Tidings on PostgreSQL without a bucket.
    const newDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-move-newdir-'));
    const [onDisk, other] = await Promise.all([createPostgresDatabase(), createPostgresDatabase()]);
    cleanups.push(
      () => fs.rm(newDir, { recursive: true, force: true }),
      () => onDisk.drop(),
      () => other.drop(),
    );
    const toDir = await runCli(['db', 'move-to-postgres', '--to', onDisk.url, '--with-blobs', '--blob-url', newDir], env);
    expect(toDir.stderr).toBe('');
    expect(toDir.code).toBe(0);
    expect(toDir.stdout).toMatch(new RegExp(`Read back ${sourceBlobs.length} blob\\(s\\), \\d+\\.\\d MB, each verified by its SHA-256`));
    expect(toDir.stdout).toContain(`TIDINGS_DATA_DIR=${newDir}`);
    const onNewDir = await startServerOn({ dataDir: newDir, databaseUrl: onDisk.url, env: { TIDINGS_MASTER_KEY: MASTER_KEY } });
    try {
      const admin = await HttpSession.signIn(onNewDir.url);
      const bytes = new Map<string, { raw: string; attachment: string }>();
      for (const id of await messageIds(admin)) bytes.set(id, await messageBytes(admin, id));
      expect(bytes).toEqual(bytesBefore);
    } finally {
      await onNewDir.stop();
    }
    // That data dir holds blobs now: a second move into it (to another empty database) is refused.
    const again = await runCli(['db', 'move-to-postgres', '--to', other.url, '--with-blobs', '--blob-url', newDir], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds blobs: give a new data dir .*\(blob_target_not_empty\)\n$/);
  });
});

async function messageIds(session: HttpSession): Promise<string[]> {
  const { items } = await session.json<{ items: Array<{ id: string }> }>('/api/v1/messages?limit=100');
  return items.map((m) => m.id).sort();
}

/** The SHA-256 of a message's raw source and of its (one) attachment, as the API serves them. */
async function messageBytes(session: HttpSession, id: string): Promise<{ raw: string; attachment: string }> {
  const raw = await session.fetch(`/api/v1/messages/${id}/raw`);
  expect(raw.status).toBe(200);
  const detail = await session.json<{ attachments: Array<{ id: string }> }>(`/api/v1/messages/${id}`);
  expect(detail.attachments).toHaveLength(1);
  const file = await session.fetch(`/api/v1/attachments/${detail.attachments[0]!.id}`);
  expect(file.status).toBe(200);
  return { raw: sha256(Buffer.from(await raw.arrayBuffer())), attachment: sha256(Buffer.from(await file.arrayBuffer())) };
}
