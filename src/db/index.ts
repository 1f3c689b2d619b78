import fs from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Worker } from 'node:worker_threads';
import pg from 'pg';
import type { Database } from './schema.ts';
import { DomainError, type DomainErrorOptions } from '../kernel/index.ts';
import { PgliteThreadDialect } from './pglite-thread.ts';

export type { Database } from './schema.ts';
export { EmbeddedDatabaseInUseError } from './embedded-lock.ts';
export { migrateToLatest, migrateTo, listMigrations } from './migrator.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Db {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** The embedded database's thread (null for a PostgreSQL server): for tests that end it. */
  embeddedWorker(): Worker | null;
}

export class DatabaseUnavailableError extends DomainError<'database_unavailable'> {
  constructor(message: string, options?: DomainErrorOptions) {
    super('database_unavailable', message, options);
  }
}

/**
 * Opens the database: a PostgreSQL server when `databaseUrl` is set, otherwise PGlite in
 * `<dataDir>/pglite` (or in memory with `memory://`). Both speak the same SQL; pg_trgm is loaded in both.
 */
export async function openDatabase(opts: {
  databaseUrl: string | null;
  dataDir: string;
  pgliteDir?: string;
  /** Called once if the embedded database's thread dies: nothing can be read or written any more. */
  onEmbeddedLost?: (err: Error) => void;
}): Promise<Db> {
  if (opts.databaseUrl) {
    // int8 as number: counts and sizes stay below 2^53 and a string would leak into every caller.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
    pool.on('error', () => {
      // An idle client lost its server; the pool replaces it. Queries report their own errors.
    });
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new DatabaseUnavailableError(
        `Cannot reach the PostgreSQL server at ${redactUrl(opts.databaseUrl)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await sql`create extension if not exists pg_trgm`.execute(db);
    return { db, kind: 'postgres', close: () => db.destroy(), embeddedWorker: () => null };
  }
  const dir = opts.pgliteDir ?? path.join(opts.dataDir, 'pglite');
  if (!dir.startsWith('memory://')) await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // PGlite runs in a worker thread (pglite-thread.ts) so its synchronous work never blocks this one.
  const dialect = new PgliteThreadDialect(dir, opts.onEmbeddedLost ?? (() => {}));
  const db = new Kysely<Database>({ dialect });
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined); // gives the embedded database's lock back
    throw error;
  }
  return { db, kind: 'pglite', close: () => db.destroy(), embeddedWorker: () => dialect.worker };
}

/** Hides the password of a connection string so it can be shown in messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/** Whether the database answers a trivial query now; the health check reports it. */
export async function databaseReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
