import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import type { Vault } from '../../vault/index.ts';
import { AuthError } from '../errors.ts';
import { decoy, verifyPassword } from '../passwords.ts';
import { presentUser, type PresentedUser } from '../presenters.ts';
import { createSession, type ClientMeta, type NewSession } from '../sessions.ts';
import { checkLoginThrottle, clearAccountFailures, recordLoginFailure } from '../throttle.ts';
import { checkTotp } from '../two-factor.ts';
import { findUserByEmail } from '../users.ts';

export interface SignInInput {
  email: string;
  password: string;
  totp?: string | undefined;
}

/**
 * Signs a person in with their password and, when they turned it on, an authenticator code. Failures
 * count towards the throttle (per account and per address) before the answer says what was wrong.
 */
export async function signIn(
  db: Kysely<Database>,
  vault: Vault,
  input: SignInInput,
  client: ClientMeta & { ip: string },
): Promise<{ user: PresentedUser; session: NewSession }> {
  const { email, password } = input;
  const { ip } = client;
  const verdict = await checkLoginThrottle(db, email, ip);
  if (verdict.blocked) {
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    throw new AuthError(
      'too_many_attempts',
      verdict.scope === 'account'
        ? `Too many failed sign-ins for this account. Try again in ${minutes} minute(s), or ask an admin to reset the password.`
        : `Too many failed sign-ins from your network address. Try again in ${minutes} minute(s).`,
      { retryAfterSeconds: verdict.retryAfterSeconds },
    );
  }
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await decoy()), password);
  if (!user || !ok) {
    await recordLoginFailure(db, email, ip);
    throw new AuthError('invalid_credentials', 'The email or password is wrong.');
  }
  if (!user.active) throw new AuthError('account_deactivated', 'This account has been deactivated. Ask an admin to reactivate it.');
  if (user.totp_secret) {
    if (!input.totp) throw new AuthError('totp_required', 'Enter the 6-digit code from your authenticator app.');
    if (!(await checkTotp(await vault.reveal(user.totp_secret), input.totp))) {
      await recordLoginFailure(db, email, ip);
      throw new AuthError('totp_invalid', 'That code is not valid. Try the newest code from your authenticator app.');
    }
  }
  await clearAccountFailures(db, email);
  return db.transaction().execute(async (trx) => {
    const session = await createSession(trx, user.id, client);
    const updated = await trx
      .updateTable('users')
      .set({ last_login_at: new Date() })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorUserId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, ip: client.ip });
    return { user: presentUser(updated), session };
  });
}
