import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DovecotInstance, startDovecot } from '../harness/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { createPgliteFolder, createPostgresDatabase } from '../support/database.ts';
import { HttpSession, readWorld, type WorldView, seedWorld, startServerOn, waitForMessages } from '../support/ops-server.ts';
import { runCli } from '../support/cli.ts';

const MASTER_KEY = 'move-test-master-key-0123456789';

describe('tidings db move-to-postgres', { timeout: 300_000 }, () => {
  let dovecot: DovecotInstance;
  let dataDir: string;
  let pg: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-move-'));
    [dovecot, pg] = await Promise.all([startDovecot(), createPostgresDatabase(), createPgliteFolder(path.join(dataDir, 'pglite'))]);
  }, 120_000);
  afterAll(async () => {
    await dovecot?.stop();
    await pg?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('moves mail, CRM rows and the vault into PostgreSQL; the server reads the same and keeps syncing', async () => {
    const user = 'move@example.test';
    const embedded = await startServerOn({ dataDir, env: { TIDINGS_MASTER_KEY: MASTER_KEY } });
    let before: WorldView;
    let ids: { contactId: string; companyId: string };
    try {
      const admin = await HttpSession.setup(embedded.url);
      ids = await seedWorld(
        admin,
        dovecot,
        user,
        'pw-move',
        [0, 7, 14].map((i) => fixtureMessage(i, { tag: 'move' })),
      );
      before = await readWorld(admin, ids);
    } finally {
      await embedded.stop();
    }

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
});
