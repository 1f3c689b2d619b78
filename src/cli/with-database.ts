import type { Kysely } from 'kysely';
import type { Config } from '../app/config.ts';
import { migrateToLatest, openDatabase, type Database } from '../db/index.ts';

/** Runs a command against the configured database, migrated to the latest schema, and closes it. */
export async function withDatabase<T>(config: Config, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(db.db);
    return await fn(db.db);
  } finally {
    await db.close();
  }
}
