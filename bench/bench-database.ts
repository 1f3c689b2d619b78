import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/db/schema.ts';
import type { MailboxesTable } from '../src/mailboxes/tables.ts';

/** The PostgreSQL server the benches use: TIDINGS_BENCH_POSTGRES_URL, or the test server's admin database. */
export const BENCH_ADMIN_URL = process.env.TIDINGS_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A database of its own for one bench run: a new PostgreSQL database (dropped by `drop`), or, for PGlite,
 * no URL (the caller opens an embedded one).
 */
export async function freshBenchDatabase(kind: 'pglite' | 'postgres'): Promise<{ url: string | null; drop(): Promise<void> }> {
  if (kind === 'pglite') return { url: null, drop: async () => undefined };
  const name = `tidings_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: BENCH_ADMIN_URL });
    c.on('error', () => undefined);
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/**
 * Nearest-rank percentile: the ceil(p% of n)-th smallest. (floor(p% of n) as a 0-based index made the "p95"
 * of 20 runs the slowest run.)
 */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/**
 * A mailbox row for bench mail (an IMAP server that is never contacted): the benches fill messages through
 * SQL and only need the row to hang them on.
 */
export async function insertBenchMailbox(
  db: Kysely<Database>,
  owner: string,
  email: string,
  extra: Partial<Insertable<MailboxesTable>> = {},
): Promise<{ id: string }> {
  return db
    .insertInto('mailboxes')
    .values({
      owner_user_id: owner,
      created_by: owner,
      email,
      provider_id: 'custom',
      imap_host: '127.0.0.1',
      imap_port: 993,
      imap_security: 'tls',
      username: email,
      auth_kind: 'password',
      secret_id: null,
      ...extra,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
