import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db, type DatabaseKind } from '../../src/db/index.ts';

/** The real PostgreSQL server every test run uses; each run makes and drops its own database. */
export const POSTGRES_ADMIN_URL = process.env.TIDINGS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Both databases Tidings supports; integration tests run against each. */
export const databaseKinds: DatabaseKind[] = ['pglite', 'postgres'];

export interface TestDatabase extends Db {
  /** DATABASE_URL for this database (null for PGlite). */
  url: string | null;
  drop(): Promise<void>;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates an empty PostgreSQL database and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tidings_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

/** A fresh, migrated database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ databaseUrl: null, dataDir: '/nonexistent', pgliteDir: 'memory://' });
    await migrateToLatest(db.db);
    return { ...db, url: null, drop: () => db.close() };
  }
  const created = await createPostgresDatabase();
  const db = await openDatabase({ databaseUrl: created.url, dataDir: '/nonexistent' });
  await migrateToLatest(db.db);
  return {
    ...db,
    url: created.url,
    async drop() {
      await db.close();
      await created.drop();
    },
  };
}
