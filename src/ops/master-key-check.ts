import type { Database } from '../db/schema.ts';
import type { Kysely } from 'kysely';
import { loadMasterKey } from '../vault/index.ts';
import { masterKeyId } from '../vault/crypto.ts';

/**
 * Whether the master key this Tidings is configured with is the one the restored secrets were
 * encrypted under (vault_keys keeps the key's id, never the key).
 */
export async function masterKeyCheck(
  db: Kysely<Database>,
  config: { masterKey: string | null; dataDir: string },
): Promise<{ ok: boolean; message: string }> {
  const active = await db.selectFrom('vault_keys').select('master_key_id').where('active', '=', true).executeTakeFirst();
  if (!active) return { ok: true, message: 'The backup holds no stored secrets; any master key will do.' };
  const source = await loadMasterKey({ envKey: config.masterKey, dataDir: config.dataDir, create: false });
  if (source && masterKeyId(source.key) === active.master_key_id) {
    return { ok: true, message: 'The configured master key opens the restored secrets.' };
  }
  return {
    ok: false,
    message: source
      ? 'The configured master key is not the one the restored secrets were encrypted with: put the original master.key in the data dir or set the original TIDINGS_MASTER_KEY before starting Tidings.'
      : 'No master key yet: put the original master.key in the data dir or set the original TIDINGS_MASTER_KEY before starting Tidings (a new one would not open the restored secrets).',
  };
}
