import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import type { Vault } from '../../vault/index.ts';
import { AuthError } from '../errors.ts';
import { presentUser, type PresentedUser } from '../presenters.ts';
import type { User } from '../tables.ts';
import { newTotpSecret, totpUri } from '../two-factor.ts';
import { deleteRecoveryCodes, replaceRecoveryCodes } from '../recovery-codes.ts';
import { confirmIdentity } from './confirm.ts';

/** Starts enrolment: a new key, kept in the vault as pending until a code from it confirms it. */
export async function startTwoFactor(db: Kysely<Database>, vault: Vault, user: User): Promise<{ secret: string; otpauthUrl: string }> {
  const secret = newTotpSecret();
  await db.transaction().execute(async (trx) => {
    if (user.totp_pending) await vault.delete(trx, user.totp_pending);
    const id = await vault.put(trx, { ownerType: 'user', ownerId: user.id, kind: 'totp' }, secret);
    await trx.updateTable('users').set({ totp_pending: id }).where('id', '=', user.id).execute();
  });
  return { secret, otpauthUrl: totpUri(secret, user.email) };
}

/**
 * Turns two-factor sign-in on once the password and a code from the pending key check out, and returns
 * ten new recovery codes: the only time they can be read.
 */
export async function enableTwoFactor(
  db: Kysely<Database>,
  vault: Vault,
  user: User,
  proof: { password: string; code: string },
  ip: string,
): Promise<{ user: PresentedUser; recoveryCodes: string[] }> {
  if (!user.totp_pending) throw new AuthError('two_factor_not_started', 'Start two-factor setup first.');
  await confirmIdentity(db, vault, user, { ...proof, totpKey: user.totp_pending });
  return db.transaction().execute(async (trx) => {
    if (user.totp_secret) await vault.delete(trx, user.totp_secret);
    const row = await trx
      .updateTable('users')
      .set({ totp_secret: user.totp_pending, totp_pending: null })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const recoveryCodes = await replaceRecoveryCodes(trx, user.id);
    await recordAudit(trx, { actorUserId: user.id, action: 'auth.two_factor_enable', targetType: 'user', targetId: user.id, ip });
    return { user: presentUser(row), recoveryCodes };
  });
}

/** Turns two-factor sign-in off; the person confirms with their password and, while it is on, a code. */
export async function disableTwoFactor(
  db: Kysely<Database>,
  vault: Vault,
  user: User,
  proof: { password: string; code?: string | undefined },
  ip: string,
): Promise<PresentedUser> {
  await confirmIdentity(db, vault, user, { ...proof, totpKey: user.totp_secret, allowRecovery: true });
  return db.transaction().execute(async (trx) => {
    for (const id of [user.totp_secret, user.totp_pending]) if (id) await vault.delete(trx, id);
    const row = await trx
      .updateTable('users')
      .set({ totp_secret: null, totp_pending: null })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await deleteRecoveryCodes(trx, user.id);
    await recordAudit(trx, { actorUserId: user.id, action: 'auth.two_factor_disable', targetType: 'user', targetId: user.id, ip });
    return presentUser(row);
  });
}
