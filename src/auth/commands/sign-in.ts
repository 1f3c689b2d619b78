import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Vault } from '../../vault/index.ts';
import { AuthError } from '../errors.ts';
import { decoy, verifyPassword } from '../passwords.ts';
import type { PresentedUser } from '../presenters.ts';
import type { ClientMeta, NewSession } from '../sessions.ts';
import { countAttempt, signInBuckets } from '../throttle.ts';
import { spendSecondFactor } from '../two-factor.ts';
import { findUserByEmail } from '../users.ts';
import { openSession } from './signed-in.ts';

export interface SignInInput {
  email: string;
  password: string;
  totp?: string | undefined;
}

/**
 * Signs a person in with their password and, when they turned it on, an authenticator code used for the
 * first time. The attempt is counted by the throttle (throttle.ts) before anything is checked.
 */
export async function signIn(
  db: Kysely<Database>,
  vault: Vault,
  input: SignInInput,
  client: ClientMeta & { ip: string },
): Promise<{ user: PresentedUser; session: NewSession }> {
  const { email, password } = input;
  const attempt = await countAttempt(db, signInBuckets(email, client.ip));
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await decoy()), password);
  if (!user || !ok) throw new AuthError('invalid_credentials', 'The email or password is wrong.');
  if (!user.active) {
    await attempt.uncount();
    throw new AuthError('account_deactivated', 'This account has been deactivated. Ask an admin to reactivate it.');
  }
  let viaRecoveryCode = false;
  if (user.totp_secret) {
    if (!input.totp) {
      // The password was right; the code is still to come. A wrong code counts, an absent one does not.
      await attempt.uncount();
      throw new AuthError('totp_required', 'Enter the 6-digit code from your authenticator app.');
    }
    const used = await spendSecondFactor(db, vault, user.id, user.totp_secret, input.totp, true);
    if (used === 'invalid') {
      throw new AuthError('totp_invalid', 'That code is not valid. Try the newest code from your authenticator app, or a recovery code.');
    }
    if (used === 'used')
      throw new AuthError('totp_invalid', 'That code was used already. Wait for the next code from your authenticator app.');
    viaRecoveryCode = used === 'recovery';
  }
  await attempt.succeeded();
  const detail = viaRecoveryCode ? { recoveryCode: true } : undefined;
  return db.transaction().execute((trx) => openSession(trx, user.id, client, { action: 'auth.login', ...(detail && { detail }) }));
}
