import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { masterKeyId, open, seal, VaultError } from './crypto.ts';
import { KEY_FILE, NEW_KEY_FILE, type MasterKeySource } from './master-key.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface SecretOwner {
  ownerType: string;
  ownerId: string | null;
  kind: string;
}

/**
 * Envelope encryption of secrets (mailbox passwords, authorization codes, OAuth tokens). Secrets are sealed
 * with a data key; the data key is stored wrapped by the master key, which never touches the database.
 * Plaintext leaves this module only through `reveal`, called by the code that logs in to a mail server.
 */
export class Vault {
  #master: Buffer;
  #dataKeys = new Map<string, Buffer>();
  #activeKeyId: string | null = null;

  private constructor(
    private readonly db: Kysely<Database>,
    master: Buffer,
  ) {
    this.#master = master;
  }

  /** Opens the vault, creating the first data key, or finishing a rotation a crash interrupted. */
  static async open(db: Kysely<Database>, source: MasterKeySource, dataDir: string): Promise<Vault> {
    const active = await db.selectFrom('vault_keys').selectAll().where('active', '=', true).executeTakeFirst();
    let master = source.key;
    if (active && active.master_key_id !== masterKeyId(master)) {
      if (source.pending && active.master_key_id === masterKeyId(source.pending)) {
        // The rotation committed but did not get to replace the key file: finish it.
        master = source.pending;
        if (source.origin === 'file') await fs.rename(path.join(dataDir, NEW_KEY_FILE), path.join(dataDir, KEY_FILE));
      } else {
        throw new VaultError(
          'master_key_mismatch',
          'The master key does not match the one that encrypted the stored secrets. Restore the original master.key or TIDINGS_MASTER_KEY.',
        );
      }
    } else if (source.pending && source.origin === 'file') {
      // A rotation that never committed left its new key behind; the old key is still the right one.
      await fs.rm(path.join(dataDir, NEW_KEY_FILE), { force: true });
    }
    const vault = new Vault(db, master);
    if (active) {
      vault.#activeKeyId = active.id;
    } else {
      vault.#activeKeyId = await vault.#createDataKey(db, master, true);
    }
    return vault;
  }

  async #createDataKey(db: Executor, master: Buffer, active: boolean): Promise<string> {
    const key = randomBytes(32);
    const row = await db
      .insertInto('vault_keys')
      .values({ wrapped_key: seal(master, key, 'data-key'), master_key_id: masterKeyId(master), active })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.#dataKeys.set(row.id, key);
    return row.id;
  }

  async #dataKey(db: Executor, id: string): Promise<Buffer> {
    const cached = this.#dataKeys.get(id);
    if (cached) return cached;
    const row = await db.selectFrom('vault_keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new VaultError('secret_corrupt', 'A secret refers to a data key that no longer exists.');
    try {
      const key = open(this.#master, row.wrapped_key, 'data-key');
      this.#dataKeys.set(id, key);
      return key;
    } catch (error) {
      throw new VaultError('master_key_mismatch', 'The master key cannot unwrap a data key.', { cause: error });
    }
  }

  /** Stores a new secret and returns its id. */
  async put(db: Executor, owner: SecretOwner, plaintext: string): Promise<string> {
    const keyId = this.#activeKeyId!;
    const key = await this.#dataKey(db, keyId);
    const row = await db
      .insertInto('secrets')
      .values({ owner_type: owner.ownerType, owner_id: owner.ownerId, kind: owner.kind, key_id: keyId, ciphertext: '' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('secrets')
      .set({ ciphertext: seal(key, Buffer.from(plaintext, 'utf8'), row.id) })
      .where('id', '=', row.id)
      .execute();
    return row.id;
  }

  /** Replaces a secret's value (a changed password); its age starts again. */
  async replace(db: Executor, id: string, plaintext: string, kind?: string): Promise<void> {
    const keyId = this.#activeKeyId!;
    const key = await this.#dataKey(db, keyId);
    const res = await db
      .updateTable('secrets')
      .set({ key_id: keyId, ciphertext: seal(key, Buffer.from(plaintext, 'utf8'), id), updated_at: new Date(), ...(kind && { kind }) })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new VaultError('secret_not_found', 'The secret does not exist.');
  }

  /** Replaces the secret `id` when there is one, else stores a new one: the id either way. */
  async putOrReplace(db: Executor, id: string | null, owner: SecretOwner, plaintext: string): Promise<string> {
    if (!id) return this.put(db, owner, plaintext);
    await this.replace(db, id, plaintext, owner.kind);
    return id;
  }

  async setOwner(db: Executor, id: string, ownerId: string): Promise<void> {
    await db.updateTable('secrets').set({ owner_id: ownerId }).where('id', '=', id).execute();
  }

  /** The plaintext. Call only to hand it to a mail server; never return it from the API or log it. */
  async reveal(id: string, db: Executor = this.db): Promise<string> {
    const row = await db.selectFrom('secrets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new VaultError('secret_not_found', 'The secret does not exist.');
    const key = await this.#dataKey(db, row.key_id);
    try {
      return open(key, row.ciphertext, row.id).toString('utf8');
    } catch (error) {
      throw new VaultError('secret_corrupt', 'A stored secret failed its integrity check.', { cause: error });
    }
  }

  async meta(id: string, db: Executor = this.db): Promise<{ kind: string; updatedAt: Date } | null> {
    const row = await db.selectFrom('secrets').select(['kind', 'updated_at']).where('id', '=', id).executeTakeFirst();
    return row ? { kind: row.kind, updatedAt: new Date(row.updated_at) } : null;
  }

  async delete(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('secrets').where('id', '=', id).execute();
  }

  /**
   * Re-encrypts every secret under a fresh data key wrapped by `newMaster`, in one transaction: either all
   * secrets move or none does. The caller replaces the key file after this commits.
   */
  async rotate(newMaster: Buffer): Promise<{ secrets: number }> {
    const count = await this.db.transaction().execute(async (trx) => {
      const newKeyId = await this.#createDataKey(trx, newMaster, false);
      const newKey = this.#dataKeys.get(newKeyId)!;
      const rows = await trx.selectFrom('secrets').selectAll().execute();
      for (const row of rows) {
        const old = await this.#dataKey(trx, row.key_id);
        const plain = open(old, row.ciphertext, row.id);
        await trx
          .updateTable('secrets')
          .set({ key_id: newKeyId, ciphertext: seal(newKey, plain, row.id) })
          .where('id', '=', row.id)
          .execute();
      }
      await trx.deleteFrom('vault_keys').where('id', '!=', newKeyId).execute();
      await trx.updateTable('vault_keys').set({ active: true }).where('id', '=', newKeyId).execute();
      return rows.length;
    });
    this.#master = newMaster;
    this.#activeKeyId = [...this.#dataKeys.keys()].at(-1)!;
    for (const id of this.#dataKeys.keys()) if (id !== this.#activeKeyId) this.#dataKeys.delete(id);
    return { secrets: count };
  }
}
