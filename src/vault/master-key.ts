import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { deriveMasterKey } from './crypto.ts';

export const KEY_FILE = 'master.key';
export const NEW_KEY_FILE = 'master.key.new';

export interface MasterKeySource {
  key: Buffer;
  origin: 'env' | 'file';
  /** A key written by an interrupted rotation: tried when the main key does not open the data keys. */
  pending: Buffer | null;
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  try {
    return deriveMasterKey(await fs.readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The master key: TIDINGS_MASTER_KEY if set, else `<dataDir>/master.key`, created (0600) with 32 random
 * bytes the first time when `create` is true.
 */
export async function loadMasterKey(opts: { envKey: string | null; dataDir: string; create: boolean }): Promise<MasterKeySource | null> {
  const pending = await readKeyFile(path.join(opts.dataDir, NEW_KEY_FILE));
  if (opts.envKey) return { key: deriveMasterKey(opts.envKey), origin: 'env', pending };
  const file = path.join(opts.dataDir, KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing) return { key: existing, origin: 'file', pending };
  if (!opts.create) return null;
  await fs.mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const material = randomBytes(32).toString('base64');
  await fs.writeFile(file, `${material}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error; // another process created it first: use theirs
  });
  return { key: (await readKeyFile(file))!, origin: 'file', pending };
}

export function generateKeyMaterial(): string {
  return randomBytes(32).toString('base64');
}
