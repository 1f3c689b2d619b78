import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db, type DatabaseKind } from '../../src/db/index.ts';
import { copyPgliteTemplate, postgresTemplateName } from './db-template.ts';

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

/**
 * Creates a PostgreSQL database and returns its URL: empty, or with every migration applied
 * (`migrated`: a copy of the template database, db-template.ts).
 */
export async function createPostgresDatabase(opts: { migrated?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tidings_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = opts.migrated ? ` template ${await postgresTemplateName(POSTGRES_ADMIN_URL)}` : '';
  await adminQuery(`create database ${name}${template}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

/**
 * Makes `dir` a fresh embedded database folder with every migration applied (a copy of the template,
 * db-template.ts), for a server's data directory or a test's own PGlite.
 */
export const createPgliteFolder: (dir: string) => Promise<void> = copyPgliteTemplate;

/** A fresh, migrated database of the given kind (a copy of a migrated template: db-template.ts). */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-db-'));
    const removeHome = () => fs.rm(home, { recursive: true, force: true });
    try {
      await createPgliteFolder(path.join(home, 'pglite'));
      const db = await openDatabase({ databaseUrl: null, dataDir: home });
      return {
        ...db,
        url: null,
        async drop() {
          await db.close();
          await removeHome();
        },
      };
    } catch (err) {
      await removeHome();
      throw err;
    }
  }
  const created = await createPostgresDatabase({ migrated: true });
  const db = await openDatabase({ databaseUrl: created.url, dataDir: '/nonexistent' });
  return {
    ...db,
    url: created.url,
    async drop() {
      await db.close();
      await created.drop();
    },
  };
}
