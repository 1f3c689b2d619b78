import type { Config } from '../app/config.ts';
import { rotateMasterKey } from '../vault/index.ts';
import { withDatabase } from './with-database.ts';

export async function runKeysRotate(config: Config): Promise<number> {
  return withDatabase(config, async (db) => {
    const result = await rotateMasterKey(db, {
      envKey: config.masterKey,
      dataDir: config.dataDir,
      newEnvKey: process.env.TIDINGS_NEW_MASTER_KEY ?? null,
    });
    console.log(`Re-encrypted ${result.secrets} secret(s) under a new master key.`);
    if (result.origin === 'env') console.log('Now set TIDINGS_MASTER_KEY to the value of TIDINGS_NEW_MASTER_KEY and restart Tidings.');
    else console.log(`The new key is in ${config.dataDir}/master.key. Back it up; the old key no longer opens anything.`);
    return 0;
  });
}
