import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { sha256Hex } from './secrets.ts';

/** How many recovery codes turning two-factor on gives; each signs in once instead of an authenticator code. */
export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are copied by hand from paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A code as people type it, with case, spaces and dashes dropped. */
export function normalRecoveryCode(text: string): string {
  return text.toLowerCase().replace(/[\s-]/g, '');
}

/** Whether text looks like a recovery code (10 letters and digits, maybe grouped), not a 6-digit TOTP code. */
export function isRecoveryCode(text: string): boolean {
  return new RegExp(`^[${ALPHABET}]{10}$`).test(normalRecoveryCode(text));
}

function newCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Replaces a user's recovery codes with new ones and returns them: the only time they are readable. */
export async function replaceRecoveryCodes(db: Kysely<Database>, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: sha256Hex(normalRecoveryCode(code)) })))
    .execute();
  return codes;
}

/** Uses up one recovery code, atomically: false when it is not one of the user's or was used before. */
export async function spendRecoveryCode(db: Kysely<Database>, userId: string, text: string): Promise<boolean> {
  const row = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', sha256Hex(normalRecoveryCode(text)))
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteRecoveryCodes(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}
