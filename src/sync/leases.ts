import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Mailbox leases in PostgreSQL: a mailbox is synced by whoever holds its row. Taking one succeeds when
 * no row exists, the row has expired (its holder died), or it is already ours. The database's clock
 * decides expiry, so processes with skewed clocks agree.
 */
export async function acquireLease(db: Kysely<Database>, mailboxId: string, holder: string, ttlMs: number): Promise<boolean> {
  const res = await sql<{ holder: string }>`
    insert into sync_leases (mailbox_id, holder, acquired_at, expires_at)
    values (${mailboxId}, ${holder}, now(), now() + ${ttlMs} * interval '1 millisecond')
    on conflict (mailbox_id) do update
      set holder = excluded.holder, acquired_at = case when sync_leases.holder = excluded.holder then sync_leases.acquired_at else now() end,
          expires_at = excluded.expires_at
      where sync_leases.expires_at < now() or sync_leases.holder = excluded.holder
    returning holder`.execute(db);
  return res.rows.length === 1;
}

/** Extends the leases this holder still has; returns the mailbox ids it still holds. */
export async function renewLeases(db: Kysely<Database>, holder: string, mailboxIds: string[], ttlMs: number): Promise<Set<string>> {
  if (!mailboxIds.length) return new Set();
  const rows = await db
    .updateTable('sync_leases')
    .set({ expires_at: sql`now() + ${ttlMs} * interval '1 millisecond'` })
    .where('holder', '=', holder)
    .where('mailbox_id', 'in', mailboxIds)
    // An expired lease may already be someone else's to take: renewing it late would be a split brain.
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('mailbox_id')
    .execute();
  return new Set(rows.map((r) => r.mailbox_id));
}

export async function releaseLeases(db: Kysely<Database>, holder: string, mailboxIds?: string[]): Promise<void> {
  let q = db.deleteFrom('sync_leases').where('holder', '=', holder);
  if (mailboxIds) {
    if (!mailboxIds.length) return;
    q = q.where('mailbox_id', 'in', mailboxIds);
  }
  await q.execute();
}

export async function leaseHolder(db: Kysely<Database>, mailboxId: string): Promise<{ holder: string; expiresAt: Date } | null> {
  const row = await db
    .selectFrom('sync_leases')
    .select(['holder', 'expires_at'])
    .where('mailbox_id', '=', mailboxId)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { holder: row.holder, expiresAt: new Date(row.expires_at) } : null;
}

/** Says this sync process is alive for `ttlMs` more (sync_processes); others count it when they share out mailboxes. */
export async function heartbeat(db: Kysely<Database>, holder: string, ttlMs: number): Promise<void> {
  await sql`
    insert into sync_processes (holder, expires_at) values (${holder}, now() + ${ttlMs} * interval '1 millisecond')
    on conflict (holder) do update set expires_at = excluded.expires_at`.execute(db);
}

/** The sync processes alive now (their heartbeat has not expired); at least 1, this one. */
export async function liveSyncProcesses(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('sync_processes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return Math.max(1, Number(row.n));
}

/** The mailboxes other holders have live leases on. */
export async function heldByOthers(db: Kysely<Database>, holder: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('sync_leases')
    .select('mailbox_id')
    .where('holder', '<>', holder)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute();
  return new Set(rows.map((r) => r.mailbox_id));
}

/** This process stops syncing: its row goes, so the others take its share at once; dead rows go too. */
export async function leaveSyncProcesses(db: Kysely<Database>, holder: string): Promise<void> {
  await db
    .deleteFrom('sync_processes')
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', sql<Date>`now() - interval '1 day'`)]))
    .execute();
}
