import type { Kysely } from 'kysely';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import type { Database } from '../db/schema.ts';
import type { Vault } from '../vault/index.ts';
import { isRecoveryCode, spendRecoveryCode } from './recovery-codes.ts';

/**
 * TOTP (RFC 6238) as authenticator apps expect it: 30-second steps, 6 digits, SHA-1. One step of clock
 * drift either way is accepted.
 */
export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: 'Tidings', label: account, secret });
}

/**
 * Checks a code against a key; returns the time step it belongs to, or null. Remember the step (see
 * `spendTotpStep`) so the same code cannot be used twice.
 */
export async function checkTotp(secret: string, code: string): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verify({ secret, token: code, epochTolerance: 30 } as Parameters<typeof verify>[0]);
    return result.valid && 'timeStep' in result ? (result.timeStep as number) : null;
  } catch {
    return null;
  }
}

/**
 * Marks a user's code of time step `step` as used, atomically: false when that code, or a later one,
 * was used already (a replay, or two requests racing with one code).
 */
export async function spendTotpStep(db: Kysely<Database>, userId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Checks and uses up a second factor: a code from the authenticator key `keyId` not used before or, when
 * `allowRecovery`, one of the user's unused recovery codes. Says which was used, or why it was refused.
 */
export async function spendSecondFactor(
  db: Kysely<Database>,
  vault: Vault,
  userId: string,
  keyId: string,
  code: string,
  allowRecovery: boolean,
): Promise<'totp' | 'recovery' | 'invalid' | 'used'> {
  if (allowRecovery && isRecoveryCode(code)) return (await spendRecoveryCode(db, userId, code)) ? 'recovery' : 'invalid';
  const step = await checkTotp(await vault.reveal(keyId), code);
  if (step === null) return 'invalid';
  return (await spendTotpStep(db, userId, step)) ? 'totp' : 'used';
}

/** For tests: the code an authenticator app would show now. */
export function currentTotp(secret: string): Promise<string> {
  return generate({ secret });
}
