import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Login throttling, kept in the database so every Tidings process sees the same counts.
 * Per account: 5 failures in 15 minutes lock that account's sign-in for the rest of the window.
 * Per client address: 30 failures in 15 minutes (many accounts guessed from one place).
 */
export const WINDOW_MS = 15 * 60 * 1000;
export const LIMITS = { account: 5, ip: 30 } as const;

export interface ThrottleVerdict {
  blocked: boolean;
  retryAfterSeconds: number;
  scope?: 'account' | 'ip';
}

async function check(db: Kysely<Database>, key: string, limit: number): Promise<number | null> {
  const since = new Date(Date.now() - WINDOW_MS);
  const rows = await db
    .selectFrom('login_failures')
    .select(['at'])
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'asc')
    .limit(limit)
    .execute();
  if (rows.length < limit) return null;
  // Blocked until the oldest counted failure leaves the window.
  return Math.max(1, Math.ceil((new Date(rows[0]!.at).getTime() + WINDOW_MS - Date.now()) / 1000));
}

export async function checkLoginThrottle(db: Kysely<Database>, email: string, ip: string): Promise<ThrottleVerdict> {
  const account = await check(db, `account:${email.toLowerCase()}`, LIMITS.account);
  if (account) return { blocked: true, retryAfterSeconds: account, scope: 'account' };
  const byIp = await check(db, `ip:${ip}`, LIMITS.ip);
  if (byIp) return { blocked: true, retryAfterSeconds: byIp, scope: 'ip' };
  return { blocked: false, retryAfterSeconds: 0 };
}

export async function recordLoginFailure(db: Kysely<Database>, email: string, ip: string): Promise<void> {
  await db
    .insertInto('login_failures')
    .values([{ key: `account:${email.toLowerCase()}` }, { key: `ip:${ip}` }])
    .execute();
  // Old rows are useless; trimming here keeps the table small without a separate job.
  await db
    .deleteFrom('login_failures')
    .where('at', '<', new Date(Date.now() - WINDOW_MS))
    .execute();
}

export async function clearAccountFailures(db: Kysely<Database>, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', `account:${email.toLowerCase()}`).execute();
}
