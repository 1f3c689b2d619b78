import type { Config } from '../app/config.ts';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import { rotateMasterKey } from '../vault/index.ts';

export async function runKeysRotate(config: Config): Promise<number> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(db.db);
    const result = await rotateMasterKey(db.db, { envKey: config.masterKey, dataDir: config.dataDir, newEnvKey: process.env.TIDINGS_NEW_MASTER_KEY ?? null });
    console.log(`Re-encrypted ${result.secrets} secret(s) under a new master key.`);
    if (result.origin === 'env') console.log('Now set TIDINGS_MASTER_KEY to the value of TIDINGS_NEW_MASTER_KEY and restart Tidings.');
    else console.log(`The new key is in ${config.dataDir}/master.key. Back it up; the old key no longer opens anything.`);
    return 0;
  } finally {
    await db.close();
  }
}
