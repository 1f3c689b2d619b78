import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlobUrl, sha256Hex, type S3Target } from '../../src/ingest/index.ts';
import { openBlobStores, type BlobStores } from '../../src/store/blob-stores.ts';
import { startS3, type S3Instance } from '../harness/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const bin = path.resolve('bin/tidings.js');
const USER = 'milo@example.test';
const PASS = 'milo-password-1';
const N = 10;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  done: Promise<number>;
}

function tidings(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : -2))));
  return { child, stdout: () => out, done };
}

// On PostgreSQL only: the embedded database admits one process, so a move beside a running server needs PostgreSQL.
describe('tidings blobs move, while Tidings runs (postgres)', { timeout: 240_000 }, () => {
  let s3: S3Instance;
  let env: SyncEnv;
  let target: S3Target;
  let cliEnv: Record<string, string>;
  /** Every blob a message or attachment names. */
  let named: string[];
  /** A reader as a server with TIDINGS_BLOB_URL set has it, and one without. */
  let withBucket: BlobStores;
  let diskOnly: BlobStores;

  const count = async (table: 'blob_locations' | 'blob_objects') =>
    Number(
      (
        await env.db.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function expectAllReadable(stores: BlobStores): Promise<void> {
    for (const sha of named) expect(sha256Hex(await stores.blobs.get(sha))).toBe(sha);
  }

  /** Starts a move that stops after `holdAfter` blobs, checks the server's view there, kills it, then runs it again. */
  async function moveKilledAndResumed(to: string, holdAfter: number, reader: BlobStores): Promise<string> {
    const held = tidings(['blobs', 'move', '--to', to], { ...cliEnv, TIDINGS_TEST_BLOBS_MOVE_HOLD_AFTER: String(holdAfter) });
    await waitFor('the move to hold half-way', async () => held.stdout().includes(`held after ${holdAfter}`), 120_000);
    // Half-way, the running server still reads every blob: from whichever store the index names.
    await expectAllReadable(reader);
    held.child.kill('SIGKILL');
    expect(await held.done).toBe(-1);
    const again = tidings(['blobs', 'move', '--to', to], cliEnv);
    const code = await again.done;
    expect(again.stdout()).toMatch(/Moved \d+ blob\(s\)/);
    expect(code).toBe(0);
    return again.stdout();
  }

  beforeAll(async () => {
    s3 = await startS3();
    env = await startSyncEnv('postgres');
    target = parseBlobUrl(s3.blobUrl('moved')) as S3Target;
    cliEnv = { DATABASE_URL: env.db.url!, TIDINGS_DATA_DIR: env.config.dataDir, LOG_LEVEL: 'warn' };
    const mailboxId = await env.bindMailbox(USER, PASS);
    // Even ones carry an attachment large enough that the disk store keeps the raw source dehydrated.
    for (let i = 0; i < N; i++)
      await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'mv', attachmentBytes: i % 2 === 0 ? 25_000 + i : 0 }));
    const sync = env.supervisor();
    sync.start();
    await waitFor('the import', async () => (await countMessages(env, mailboxId)) === N, 30_000);
    await sync.stop();
    const raws = await env.db.db.selectFrom('messages').select('raw_sha256 as sha').execute();
    const atts = await env.db.db.selectFrom('attachments').select('sha256 as sha').execute();
    named = [...new Set([...raws, ...atts].map((r) => r.sha))];
    withBucket = openBlobStores(env.db.db, env.config.dataDir, target);
    diskOnly = openBlobStores(env.db.db, env.config.dataDir, { kind: 'disk' });
  });
  afterAll(async () => {
    withBucket?.close();
    diskOnly?.close();
    await env?.close();
    await s3?.stop();
  });

  it('moves every blob from disk into the bucket, resumed after a kill, each verified and readable', async () => {
    const total = await count('blob_locations');
    expect(total).toBeGreaterThanOrEqual(named.length);
    const out = await moveKilledAndResumed(s3.blobUrl('moved'), 4, withBucket);
    expect(out).toContain(`Moved ${total - 4} blob(s)`);
    expect({ disk: await count('blob_locations'), objects: await count('blob_objects') }).toEqual({ disk: 0, objects: total });
    const keys = await s3.objectKeys();
    for (const sha of named) expect(keys).toContain(`moved/${sha}`);
    await expectAllReadable(withBucket);
    // A process without TIDINGS_BLOB_URL says where the blob is instead of "not found".
    await expect(diskOnly.blobs.get(named[0]!)).rejects.toMatchObject({ code: 'blob_store_unavailable' });
  });

  it('moves them back to disk, resumed after a kill, and empties the bucket', async () => {
    const total = await count('blob_objects');
    cliEnv = { ...cliEnv, TIDINGS_BLOB_URL: s3.blobUrl('moved') }; // the bucket a move to disk reads from
    const out = await moveKilledAndResumed('disk', 3, withBucket);
    expect(out).toContain(`Moved ${total - 3} blob(s)`);
    expect({ disk: await count('blob_locations'), objects: await count('blob_objects') }).toEqual({ disk: total, objects: 0 });
    expect((await s3.objectKeys()).filter((k) => k.startsWith('moved/'))).toEqual([]);
    await expectAllReadable(diskOnly);
  });
});
