import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DovecotInstance, startDovecot } from '../harness/index.ts';
import { runCli } from '../support/cli.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { HttpSession, readWorld, seededServerWorld, startServerOn, waitForMessages } from '../support/ops-server.ts';

const MASTER_KEY = 'backup-test-master-key-0123456789';
const PASSWORD = 'pw-backup-mailbox';

describe('tidings backup and restore', { timeout: 300_000 }, () => {
  let dovecot: DovecotInstance;
  let pg: { url: string; drop(): Promise<void> };
  let dirs: string[] = [];
  const tempDir = async (name: string) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), name));
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    [dovecot, pg] = await Promise.all([startDovecot(), createPostgresDatabase({ migrated: true })]);
  }, 120_000);
  afterAll(async () => {
    await dovecot?.stop();
    await pg?.drop();
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
    dirs = [];
  });

  it('backs up a running PostgreSQL server, restores into a fresh data dir, and the mail, CRM and sync come back', async () => {
    const user = 'backup@example.test';
    const dataDir = await tempDir('tidings-backup-');
    const file = path.join(await tempDir('tidings-backup-file-'), 'tidings.backup');
    const { ids, before } = await seededServerWorld(
      { dataDir, databaseUrl: pg.url, env: { TIDINGS_MASTER_KEY: MASTER_KEY } },
      { dovecot, user, password: PASSWORD, messages: [0, 7, 14].map((i) => fixtureMessage(i, { tag: 'backup' })) },
      async () => {
        // Taken beside the running server: one snapshot of the database, the blob files as it names them.
        const backup = await runCli(['backup', '--to', file], { TIDINGS_DATA_DIR: dataDir, DATABASE_URL: pg.url });
        expect(backup.stderr).toBe('');
        expect(backup.code).toBe(0);
        expect(backup.stdout).toMatch(/Wrote .*: \d+ tables, \d+ rows, [1-9]\d* blob file\(s\)/);
        expect(backup.stdout).toContain('The master key is not in the backup');
      },
    );
    const content = gunzipSync(await fs.readFile(file)).toString('latin1');
    expect(content).toContain('Quarterly numbers backup 7');
    expect(content).not.toContain(MASTER_KEY);
    expect(content).not.toContain(PASSWORD);

    // The wipe: another machine's empty data dir, on the embedded database this time.
    const restoredDir = await tempDir('tidings-restored-');
    const env = { TIDINGS_DATA_DIR: restoredDir, TIDINGS_MASTER_KEY: MASTER_KEY };
    const restore = await runCli(['restore', '--from', file], env);
    expect(restore.stderr).toBe('');
    expect(restore.stdout).toMatch(/Restored \d+ tables, \d+ rows and [1-9]\d* blob file\(s\)/);
    expect(restore.stdout).toContain('The configured master key opens the restored secrets.');
    expect(restore.code).toBe(0);

    const again = await runCli(['restore', '--from', file], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^tidings: The database already holds Tidings users or mailboxes/);
    const wrongKey = await runCli(['restore', '--from', file], {
      TIDINGS_DATA_DIR: await tempDir('tidings-wrong-key-'),
      TIDINGS_MASTER_KEY: 'another-master-key-0123456789',
    });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stdout).toContain('is not the one the restored secrets were encrypted with');

    // A backup cut short restores nothing: the database stays empty, so the whole file can be tried again.
    const cut = path.join(path.dirname(file), 'cut.backup');
    const whole = await fs.readFile(file);
    await fs.writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const cutDir = await tempDir('tidings-cut-');
    const fromCut = await runCli(['restore', '--from', cut], { TIDINGS_DATA_DIR: cutDir, TIDINGS_MASTER_KEY: MASTER_KEY });
    expect(fromCut.code).toBe(1);
    expect(fromCut.stderr).toMatch(/^tidings: The backup file/);
    const retried = await runCli(['restore', '--from', file], { TIDINGS_DATA_DIR: cutDir, TIDINGS_MASTER_KEY: MASTER_KEY });
    expect(retried.code).toBe(0);

    const restored = await startServerOn({ dataDir: restoredDir, env: { TIDINGS_MASTER_KEY: MASTER_KEY } });
    try {
      const admin = await HttpSession.signIn(restored.url);
      expect(await readWorld(admin, ids)).toEqual(before);
      const { items } = await admin.json<{ items: Array<{ id: string }> }>('/api/v1/messages?limit=1');
      // The raw source comes from the restored blob store.
      const raw = await admin.fetch(`/api/v1/messages/${items[0]!.id}/raw`);
      expect(raw.status).toBe(200);
      expect(await raw.text()).toContain('Quarterly numbers backup');
      await dovecot.append(user, 'INBOX', fixtureMessage(21, { tag: 'backup' }));
      expect(await waitForMessages(admin, 4)).toContain('Quarterly numbers backup 21');
    } finally {
      await restored.stop();
    }
  });

  it('refuses a file that is not a backup', async () => {
    const dir = await tempDir('tidings-bad-backup-');
    const notBackup = path.join(dir, 'not.backup');
    await fs.writeFile(notBackup, 'hello');
    const res = await runCli(['restore', '--from', notBackup], {
      TIDINGS_DATA_DIR: path.join(dir, 'data'),
      TIDINGS_MASTER_KEY: MASTER_KEY,
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^tidings: The backup file is damaged or not a backup/);
  });
});
