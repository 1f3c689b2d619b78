import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AuthError } from './errors.ts';

/**
 * Throttling of password and authenticator-code checks, kept in the database so every Tidings process
 * sees the same counts. An attempt is counted before it is checked, under a row lock, so a burst of
 * parallel guesses is counted one after another; a right answer then takes its count back.
 *
 * Each bucket lets `free` failures through, then makes the next attempt wait: 1 minute after the
 * `free`-th failure, doubling with each further failure up to 15 minutes. Waiting attempts are refused
 * (429 with Retry-After) without being counted, so a wait never grows while nobody guesses. A bucket
 * forgets its failures after an hour without one.
 *
 * Sign-in uses three buckets, so guessing is slowed without letting anyone lock the owner out:
 * - one account from one address: 5 free failures;
 * - one address, any account: 30 (one place guessing many accounts);
 * - one account, any address: 10, and this one only slows addresses that have failed for the account
 *   already. The owner with the right password, from an address that has not been failing, signs in
 *   however many guesses come from elsewhere; each guessing address is held to its own bucket.
 * A signed-in person confirming a change (password, authenticator code) has one bucket: 5 free failures.
 */
export const FREE_FAILURES = { pair: 5, address: 30, account: 10, confirm: 5 } as const;
const FIRST_WAIT_MS = 60_000;
const MAX_WAIT_MS = 15 * 60_000;
export const FORGET_AFTER_MS = 60 * 60_000;

interface BucketRule {
  key: string;
  free: number;
  /** Applies only when the attempt's own bucket (the first rule) already holds a failure. */
  onlyWhenFailing?: boolean;
}

/** How long a bucket with `failures` failures, the last at `lastAt`, makes the next attempt wait (ms). */
export function waitAfter(failures: number, free: number, lastAt: number, now: number): number {
  if (failures < free) return 0;
  const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(failures - free, 10));
  return Math.max(0, lastAt + wait - now);
}

const normal = (email: string) => email.trim().toLowerCase();
const accountKey = (email: string) => `account:${normal(email)}`;
const pairKey = (email: string, ip: string) => `${accountKey(email)}|from:${ip}`;

/** The buckets of a sign-in (password, then authenticator code) for an email from an address. */
export function signInBuckets(email: string, ip: string): BucketRule[] {
  return [
    { key: pairKey(email, ip), free: FREE_FAILURES.pair },
    { key: `address:${ip}`, free: FREE_FAILURES.address },
    { key: accountKey(email), free: FREE_FAILURES.account, onlyWhenFailing: true },
  ];
}

/** The bucket of a signed-in person confirming a change with their password or an authenticator code. */
export function confirmBuckets(userId: string): BucketRule[] {
  return [{ key: `confirm:${userId}`, free: FREE_FAILURES.confirm }];
}

/** A counted attempt: a failure needs nothing more; a success or an attempt that proved nothing gives the count back. */
export interface ThrottledAttempt {
  /** The right answer: the attempt's own bucket is cleared, and its failures are taken out of the wider ones. */
  succeeded(): Promise<void>;
  /** Neither right nor wrong (e.g. the password was right and the code is still to come): uncount this attempt. */
  uncount(): Promise<void>;
}

/**
 * Counts one attempt in every bucket that applies, or refuses it with `too_many_attempts` when one of
 * them makes it wait. Call before checking the password or code.
 */
export async function countAttempt(db: Kysely<Database>, rules: BucketRule[]): Promise<ThrottledAttempt> {
  const own = rules[0]!;
  const counted = await db.transaction().execute(async (trx) => {
    const now = Date.now();
    const rows = await lockBuckets(
      trx,
      rules.map((r) => r.key),
    );
    const failuresOf = (key: string) => {
      const row = rows.get(key)!;
      const lastAt = new Date(row.last_failure_at).getTime();
      return { failures: lastAt + FORGET_AFTER_MS < now ? 0 : row.failures, lastAt };
    };
    const ownFailures = failuresOf(own.key).failures;
    const applying = rules.filter((r) => !r.onlyWhenFailing || ownFailures > 0);
    let longest: { waitMs: number; rule: BucketRule } | null = null;
    for (const rule of applying) {
      const { failures, lastAt } = failuresOf(rule.key);
      const waitMs = waitAfter(failures, rule.free, lastAt, now);
      if (waitMs > (longest?.waitMs ?? 0)) longest = { waitMs, rule };
    }
    if (longest) return longest;
    for (const rule of rules) {
      await trx
        .updateTable('auth_throttle')
        .set({ failures: failuresOf(rule.key).failures + 1, last_failure_at: new Date(now) })
        .where('key', '=', rule.key)
        .execute();
    }
    return { ownFailures: ownFailures + 1 };
  });
  if ('waitMs' in counted) throw tooMany(counted.rule, counted.waitMs);
  const keys = rules.map((r) => r.key);
  return {
    async succeeded() {
      await db.transaction().execute(async (trx) => {
        await lockBuckets(trx, keys);
        await trx.deleteFrom('auth_throttle').where('key', '=', own.key).execute();
        const wider = keys.slice(1);
        if (wider.length === 0) return;
        await trx
          .updateTable('auth_throttle')
          .set({ failures: sql`greatest(failures - ${counted.ownFailures}, 0)` })
          .where('key', 'in', wider)
          .execute();
      });
      await db
        .deleteFrom('auth_throttle')
        .where('last_failure_at', '<', new Date(Date.now() - FORGET_AFTER_MS))
        .execute();
    },
    async uncount() {
      await db.updateTable('auth_throttle').set({ failures: sql`greatest(failures - 1, 0)` }).where('key', 'in', keys).execute();
    },
  };
}

/** Makes sure the buckets exist and locks them, always in key order so two attempts never deadlock. */
async function lockBuckets(trx: Transaction<Database>, keys: string[]) {
  const sorted = [...new Set(keys)].sort();
  await trx
    .insertInto('auth_throttle')
    .values(sorted.map((key) => ({ key, failures: 0, last_failure_at: new Date(0) })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const rows = await trx.selectFrom('auth_throttle').selectAll().where('key', 'in', sorted).orderBy('key').forUpdate().execute();
  return new Map(rows.map((r) => [r.key, r]));
}

function tooMany(rule: BucketRule, waitMs: number): AuthError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const minutes = Math.ceil(seconds / 60);
  const detail = rule.key.startsWith('address:')
    ? `Too many failed sign-ins from your network address. Try again in ${minutes} minute(s).`
    : rule.key.startsWith('confirm:')
      ? `Too many wrong passwords or codes. Try again in ${minutes} minute(s).`
      : `Too many failed sign-ins for this account. Try again in ${minutes} minute(s), or ask an admin to reset the password.`;
  return new AuthError('too_many_attempts', detail, { retryAfterSeconds: seconds });
}

/** Forgets every failure counted against an account (an admin reset its password or two-factor key). */
export async function clearAccountThrottle(db: Kysely<Database>, email: string, userId: string): Promise<void> {
  const key = accountKey(email);
  await db
    .deleteFrom('auth_throttle')
    .where((eb) =>
      eb.or([eb('key', '=', key), eb('key', '=', `confirm:${userId}`), eb(sql`starts_with(key, ${`${key}|from:`})`, '=', true)]),
    )
    .execute();
}
