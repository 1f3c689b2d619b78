import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { deriveMasterKey, VaultError } from './crypto.ts';
import { generateKeyMaterial, KEY_FILE, loadMasterKey, NEW_KEY_FILE } from './master-key.ts';
import { Vault } from './vault.ts';

/**
 * `tidings keys rotate`. With a key file: the new key is written beside the old one first, the secrets
 * are re-encrypted in one transaction, then the new file replaces the old; a crash at any point leaves a
 * state `Vault.open` resolves. With TIDINGS_MASTER_KEY: the new value must be given (`newEnvKey`) and the
 * operator swaps the variable afterwards.
 */
export async function rotateMasterKey(
  db: Kysely<Database>,
  opts: { envKey: string | null; dataDir: string; newEnvKey?: string | null },
): Promise<{ secrets: number; origin: 'env' | 'file' }> {
  const source = await loadMasterKey({ envKey: opts.envKey, dataDir: opts.dataDir, create: false });
  if (!source)
    throw new VaultError(
      'master_key_missing',
      `There is no master key yet (no TIDINGS_MASTER_KEY and no ${path.join(opts.dataDir, KEY_FILE)}).`,
    );
  const vault = await Vault.open(db, source, opts.dataDir);
  if (source.origin === 'env') {
    if (!opts.newEnvKey)
      throw new VaultError(
        'master_key_missing',
        'The master key comes from TIDINGS_MASTER_KEY: pass the new key in TIDINGS_NEW_MASTER_KEY (generate one with `openssl rand -base64 32`).',
      );
    const result = await vault.rotate(deriveMasterKey(opts.newEnvKey));
    return { ...result, origin: 'env' };
  }
  const material = generateKeyMaterial();
  const newFile = path.join(opts.dataDir, NEW_KEY_FILE);
  await fs.writeFile(newFile, `${material}\n`, { mode: 0o600 });
  const result = await vault.rotate(deriveMasterKey(material));
  await fs.rename(newFile, path.join(opts.dataDir, KEY_FILE));
  return { ...result, origin: 'file' };
}
