import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { deriveMasterKey, loadMasterKey, rotateMasterKey, Vault, VaultError } from './index.ts';
import { KEY_FILE, NEW_KEY_FILE } from './master-key.ts';

describe('vault', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vault-'));
  });
  afterAll(async () => {
    await t.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const owner = { ownerType: 'mailbox', ownerId: null, kind: 'password' };

  it('creates a 0600 key file, stores secrets encrypted and reveals them', async () => {
    const source = await loadMasterKey({ envKey: null, dataDir: dir, create: true });
    expect(((await fs.stat(path.join(dir, KEY_FILE))).mode & 0o777).toString(8)).toBe('600');
    const vault = await Vault.open(t.db, source!, dir);
    const id = await vault.put(t.db, owner, 'hunter2-授权码-abcdefgh');
    expect(await vault.reveal(id)).toBe('hunter2-授权码-abcdefgh');
    const dump =
      JSON.stringify((await sql`select * from secrets`.execute(t.db)).rows) +
      JSON.stringify((await sql`select * from vault_keys`.execute(t.db)).rows);
    expect(dump).not.toContain('hunter2');
    await vault.replace(t.db, id, 'changed-password');
    expect(await vault.reveal(id)).toBe('changed-password');
  });

  it('detects a ciphertext moved to another row or tampered with', async () => {
    const vault = await Vault.open(t.db, (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!, dir);
    const a = await vault.put(t.db, owner, 'secret-a');
    const b = await vault.put(t.db, owner, 'secret-b');
    const rowA = await t.db.selectFrom('secrets').selectAll().where('id', '=', a).executeTakeFirstOrThrow();
    await t.db.updateTable('secrets').set({ ciphertext: rowA.ciphertext }).where('id', '=', b).execute();
    await expect(vault.reveal(b)).rejects.toMatchObject({ code: 'secret_corrupt' });
    await vault.delete(t.db, b);
  });

  it('refuses a wrong master key instead of returning garbage', async () => {
    await expect(Vault.open(t.db, { key: deriveMasterKey('some other key'), origin: 'env', pending: null }, dir)).rejects.toBeInstanceOf(
      VaultError,
    );
  });

  it('rotates every secret to a new master key, and the old key stops working', async () => {
    const before = await Vault.open(t.db, (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!, dir);
    const ids = await Promise.all(['one', 'two', 'three'].map((s) => before.put(t.db, owner, s)));
    const oldFile = await fs.readFile(path.join(dir, KEY_FILE), 'utf8');
    const result = await rotateMasterKey(t.db, { envKey: null, dataDir: dir });
    expect(result.secrets).toBeGreaterThanOrEqual(3);
    expect(await fs.readFile(path.join(dir, KEY_FILE), 'utf8')).not.toBe(oldFile);
    await expect(fs.stat(path.join(dir, NEW_KEY_FILE))).rejects.toThrow();
    const after = await Vault.open(t.db, (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!, dir);
    expect(await Promise.all(ids.map((id) => after.reveal(id)))).toEqual(['one', 'two', 'three']);
    await expect(Vault.open(t.db, { key: deriveMasterKey(oldFile), origin: 'env', pending: null }, dir)).rejects.toMatchObject({
      code: 'master_key_mismatch',
    });
  });

  it('finishes a rotation that committed but crashed before replacing the key file', async () => {
    const source = (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!;
    const vault = await Vault.open(t.db, source, dir);
    const id = await vault.put(t.db, owner, 'survives');
    // Simulate: new key written, transaction committed, crash before the rename.
    const material = 'bmV3LWtleS1tYXRlcmlhbC1mb3ItdGVzdGluZy0xMjM0NQ==';
    await fs.writeFile(path.join(dir, NEW_KEY_FILE), material, { mode: 0o600 });
    await vault.rotate(deriveMasterKey(material));
    const reopened = await Vault.open(t.db, (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!, dir);
    expect(await reopened.reveal(id)).toBe('survives');
    expect((await fs.readFile(path.join(dir, KEY_FILE), 'utf8')).trim()).toBe(material);
  });

  it('leaves everything as it was when a rotation fails half-way', async () => {
    const source = (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!;
    const vault = await Vault.open(t.db, source, dir);
    const good = await vault.put(t.db, owner, 'still-readable');
    // A corrupt row makes the rotation fail after other rows were already re-encrypted in the transaction.
    const bad = await vault.put(t.db, owner, 'x');
    await t.db
      .updateTable('secrets')
      .set({ ciphertext: Buffer.alloc(40).toString('base64') })
      .where('id', '=', bad)
      .execute();
    await expect(rotateMasterKey(t.db, { envKey: null, dataDir: dir })).rejects.toThrow();
    await vault.delete(t.db, bad);
    const reopened = await Vault.open(t.db, (await loadMasterKey({ envKey: null, dataDir: dir, create: false }))!, dir);
    expect(await reopened.reveal(good)).toBe('still-readable');
    await expect(fs.stat(path.join(dir, NEW_KEY_FILE))).rejects.toThrow();
  });
});
