import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createPgliteFolder, createPostgresDatabase } from '../support/database.ts';

// Each case starts several real CLI processes (tsx + database): generous time on a busy 2-core machine.
describe('tidings CLI', { timeout: 240_000 }, () => {
  let dataDir: string;
  let pg: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-cli-'));
    pg = await createPostgresDatabase();
  });
  afterAll(async () => {
    await pg?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('migrates, creates an admin from stdin and prints a working token (embedded database)', async () => {
    const env = { TIDINGS_DATA_DIR: dataDir };
    const migrate = await runCli(['migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/Applied \d+ migration/);
    expect((await runCli(['migrate'], env)).stdout).toContain('up to date');

    const created = await runCli(['admin', 'create', '--email', 'ops@example.com', '--name', 'Ops'], env, 'a-long-cli-password\n');
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('Created admin ops@example.com');
    const again = await runCli(['admin', 'create', '--email', 'ops@example.com', '--name', 'Ops'], env, 'a-long-cli-password\n');
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('tidings: A user with the email ops@example.com already exists.');

    const short = await runCli(['admin', 'create', '--email', 'x@example.com', '--name', 'X'], env, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/^tidings: password: must be at least 10 characters\n$/);

    const token = await runCli(['token', 'create', '--email', 'ops@example.com', '--name', 'backup'], env);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^tdg_[A-Za-z0-9_-]{43}$/);
    expect((await runCli(['token', 'create', '--email', 'nobody@example.com', '--name', 'x'], env)).stderr).toContain(
      'No user with the email',
    );

    // The API's options: an expiry and the read-only scope, checked as the API checks them.
    const until = new Date(Date.now() + 30 * 86_400_000);
    const limited = await runCli(
      ['token', 'create', '--email', 'ops@example.com', '--name', 'report', '--expires-at', until.toISOString(), '--scope', 'read'],
      env,
    );
    expect(limited.code).toBe(0);
    expect(limited.stderr).toContain(`(read-only, until ${until.toISOString()})`);
    const past = await runCli(
      ['token', 'create', '--email', 'ops@example.com', '--name', 'x', '--expires-at', '2020-01-01T00:00:00Z'],
      env,
    );
    expect(past.stderr.trim()).toBe('tidings: --expires-at: must be in the future');
    const noOffset = await runCli(
      ['token', 'create', '--email', 'ops@example.com', '--name', 'x', '--expires-at', '2999-01-01T00:00:00'],
      env,
    );
    expect(noOffset.code).toBe(1);
    expect(noOffset.stderr).toMatch(/^tidings: --expires-at: /);
    const badScope = await runCli(['token', 'create', '--email', 'ops@example.com', '--name', 'x', '--scope', 'admin'], env);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toMatch(/^tidings: --scope: /);
    const { openDatabase } = await import('../../src/db/index.ts');
    const opened = await openDatabase({ databaseUrl: null, dataDir });
    try {
      const tokens = await opened.db
        .selectFrom('api_tokens')
        .select(['name', 'scope', 'expires_at', 'token_hash'])
        .orderBy('created_at')
        .execute();
      expect(tokens.map((t) => [t.name, t.scope, t.expires_at && new Date(t.expires_at).toISOString()])).toEqual([
        ['backup', 'full', null],
        ['report', 'read', until.toISOString()],
      ]);
      expect(tokens[1]?.token_hash).toBe(createHash('sha256').update(limited.stdout.trim()).digest('hex'));
    } finally {
      await opened.close();
    }
  });

  it('keeps out of an embedded database another process has open, and says which one', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-busy-'));
    const env = { TIDINGS_DATA_DIR: dir };
    const { openDatabase } = await import('../../src/db/index.ts');
    await createPgliteFolder(path.join(dir, 'pglite')); // a migrated database, as a server leaves it
    const held = await openDatabase({ databaseUrl: null, dataDir: dir }); // as a running server holds it
    try {
      const created = await runCli(['admin', 'create', '--email', 'ops@example.com', '--name', 'Ops'], env, 'a-long-cli-password\n');
      expect(created.code).toBe(1);
      expect(created.stderr.trim().split('\n')).toHaveLength(1);
      expect(created.stderr).toContain(`is in use by another Tidings (process ${process.pid})`);
      const doctor = await runCli(['doctor'], env);
      expect(doctor.code).toBe(0);
      expect(doctor.stdout).toMatch(
        new RegExp(`ok\\s+database\\s+embedded PGlite .*open in the running Tidings \\(process ${process.pid}\\)`),
      );
    } finally {
      await held.close();
    }
    const created = await runCli(['admin', 'create', '--email', 'ops@example.com', '--name', 'Ops'], env, 'a-long-cli-password\n');
    expect(created.stdout).toContain('Created admin ops@example.com');
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('compacts blob packs on demand', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-compact-'));
    const env = { TIDINGS_DATA_DIR: dir };
    const { openDatabase } = await import('../../src/db/index.ts');
    const { PackWriter } = await import('../../src/ingest/blob-pack.ts');
    const { sha256Hex } = await import('../../src/ingest/blob-store.ts');
    const { dbBlobIndex } = await import('../../src/store/blob-index.ts');
    // A pack from three hours ago whose two blobs no message names any more (their mail was deleted).
    await createPgliteFolder(path.join(dir, 'pglite')); // a migrated database, as a server leaves it
    let db = await openDatabase({ databaseUrl: null, dataDir: dir });
    const writer = new PackWriter(path.join(dir, 'blobs'), { fsync: false, now: () => Date.now() - 3 * 3600_000 });
    const blobs = [Buffer.alloc(300_000, 'a'), Buffer.alloc(200_000, 'b')];
    const locations = [];
    for (const b of blobs) locations.push(await writer.append(sha256Hex(b), b));
    await writer.close();
    await dbBlobIndex(db.db).add(locations);
    await db.close();

    const compact = await runCli(['blobs', 'compact'], env);
    expect(compact.stderr).toBe('');
    expect(compact.code).toBe(0);
    expect(compact.stdout).toContain('Checked 1 pack(s)');
    expect(compact.stdout).toContain('Rewrote 1 pack(s): 0 blob(s) still in use copied, 2 no longer in use dropped.');
    expect(compact.stdout).toContain('Deleted 0 pack file(s)');

    db = await openDatabase({ databaseUrl: null, dataDir: dir });
    expect(await db.db.selectFrom('blob_locations').select('sha256').execute()).toEqual([]);
    expect((await db.db.selectFrom('blob_packs_retired').select('pack').execute()).map((r) => r.pack)).toEqual([locations[0].pack]);
    await db.close();
    const again = await runCli(['blobs', 'compact'], env);
    expect(again.stdout).toContain('Checked 0 pack(s)'); // the retired pack waits a day for its file to go
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('works the same on a PostgreSQL server and explains an unreachable one in one line', async () => {
    const ok = await runCli(['migrate'], { DATABASE_URL: pg.url, TIDINGS_DATA_DIR: dataDir });
    expect(ok.code).toBe(0);
    const doctor = await runCli(['doctor'], { DATABASE_URL: pg.url, TIDINGS_DATA_DIR: dataDir });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/ok\s+database\s+postgres:\/\/.*PostgreSQL \d+/);
    expect(doctor.stdout).toMatch(/ok\s+pg_trgm/);

    const down = await runCli(['migrate'], { DATABASE_URL: 'postgres://nobody:secret-pw@127.0.0.1:1/none', TIDINGS_DATA_DIR: dataDir });
    expect(down.code).toBe(1);
    const lines = down.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tidings: Cannot reach the PostgreSQL server at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/);
    expect(down.stderr).not.toContain('secret-pw');
    const doctorDown = await runCli(['doctor'], { DATABASE_URL: 'postgres://127.0.0.1:1/none', TIDINGS_DATA_DIR: dataDir });
    expect(doctorDown.code).toBe(1);
    expect(doctorDown.stdout).toMatch(/FAIL\s+database/);
  });

  it('rejects unknown commands, flags and settings clearly', async () => {
    const unknown = await runCli(['frobnicate'], { TIDINGS_DATA_DIR: dataDir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const flag = await runCli(['migrate', '--bogus'], { TIDINGS_DATA_DIR: dataDir });
    expect(flag.code).toBe(1);
    expect(flag.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const badPort = await runCli(['migrate'], { TIDINGS_DATA_DIR: dataDir, PORT: 'eighty' });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/^tidings: Invalid setting PORT/);
    expect((await runCli(['help'], {})).stdout).toContain('Usage: tidings');
  });

  it('rotates the master key and keeps secrets readable', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-rotate-'));
    const env = { TIDINGS_DATA_DIR: dir };
    await createPgliteFolder(path.join(dir, 'pglite')); // a migrated database, as a server leaves it
    const none = await runCli(['keys', 'rotate'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There is no master key yet');

    // Store a secret the way a running Tidings would, then let the CLI rotate the key.
    const { openDatabase } = await import('../../src/db/index.ts');
    const { Vault, loadMasterKey } = await import('../../src/vault/index.ts');
    let db = await openDatabase({ databaseUrl: null, dataDir: dir });
    let vault = await Vault.open(db.db, (await loadMasterKey({ envKey: null, dataDir: dir, create: true }))!, dir);
    const id = await vault.put(db.db, { ownerType: 'mailbox', ownerId: null, kind: 'password' }, 'kept-through-rotation');
    await db.close();
    const oldKey = await fs.readFile(path.join(dir, 'master.key'), 'utf8');

    const rotated = await runCli(['keys', 'rotate'], env);
    expect(rotated.stderr).toBe('');
    expect(rotated.stdout).toContain('Re-encrypted 1 secret(s)');
    expect(await fs.readFile(path.join(dir, 'master.key'), 'utf8')).not.toBe(oldKey);

    db = await openDatabase({ databaseUrl: null, dataDir: dir });
    vault = await Vault.open(db.db, (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!, dir);
    expect(await vault.reveal(id)).toBe('kept-through-rotation');
    await db.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
});
