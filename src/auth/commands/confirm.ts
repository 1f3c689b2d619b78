import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Vault } from '../../vault/index.ts';
import { AuthError } from '../errors.ts';
import { verifyPassword } from '../passwords.ts';
import type { User } from '../tables.ts';
import { confirmBuckets, countAttempt } from '../throttle.ts';
import { spendSecondFactor } from '../two-factor.ts';

export interface Proof {
  password: string;
  /** An authenticator code, checked against `totpKey` (a vault id) when that is set. */
  code?: string | undefined;
  totpKey?: string | null | undefined;
  /** A recovery code may stand in for the authenticator code (not while enrolling a new key). */
  allowRecovery?: boolean;
}

/**
 * A signed-in person proves again who they are before a change that matters (an API token, turning
 * two-factor on or off): their password and, where a key is given, a code from it not used before. The
 * attempt is throttled like a sign-in, so a stolen session cannot be used to guess the password.
 */
export async function confirmIdentity(db: Kysely<Database>, vault: Vault, user: User, proof: Proof): Promise<void> {
  const attempt = await countAttempt(db, confirmBuckets(user.id));
  if (!(await verifyPassword(user.password_hash, proof.password))) throw new AuthError('wrong_password', 'The password is wrong.');
  if (proof.totpKey) {
    if (!proof.code) {
      await attempt.uncount();
      throw new AuthError('two_factor_code_required', 'Enter the 6-digit code from your authenticator app.');
    }
    const used = await spendSecondFactor(db, vault, user.id, proof.totpKey, proof.code, proof.allowRecovery ?? false);
    if (used === 'invalid') {
      throw new AuthError('two_factor_code_rejected', 'That code is not valid. Check the time on your phone and try the newest code.');
    }
    if (used === 'used') {
      throw new AuthError('two_factor_code_rejected', 'That code was used already. Wait for the next code from your authenticator app.');
    }
  }
  await attempt.succeeded();
}
