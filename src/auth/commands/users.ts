import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import { isUniqueViolation, NotFoundError } from '../../kernel/index.ts';
import type { Vault } from '../../vault/index.ts';
import { AuthError } from '../errors.ts';
import { hashPassword } from '../passwords.ts';
import { presentUser, type PresentedUser } from '../presenters.ts';
import type { User } from '../tables.ts';
import { deleteRecoveryCodes } from '../recovery-codes.ts';
import { clearAccountThrottle } from '../throttle.ts';
import { findUserById, insertUser, type Role } from '../users.ts';
import type { Actor } from './actor.ts';

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  password: string;
  team?: string | null | undefined;
}

/** An admin (or the `tidings` command) adds a user; an email already taken, in any letter case, is refused. */
export async function createUser(db: Kysely<Database>, input: NewUserInput, actor: Actor): Promise<PresentedUser> {
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, input);
      const detail = { role: user.role, ...(actor.via && { via: actor.via }) };
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        detail,
        ip: actor.ip,
      });
      return presentUser(user);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AuthError('email_taken', 'A user with this email already exists.', { cause: error });
    throw error;
  }
}

export interface UserChange {
  name?: string | undefined;
  role?: Role | undefined;
  team?: string | null | undefined;
  active?: boolean | undefined;
  password?: string | undefined;
  resetTwoFactor?: true | undefined;
}

/** An admin renames, changes the role or team of, (de)activates, or resets the password or two-factor key of a user. */
export async function updateUser(
  db: Kysely<Database>,
  vault: Vault,
  admin: User,
  userId: string,
  change: UserChange,
  ip: string,
): Promise<PresentedUser> {
  const target = await findUserById(db, userId);
  if (!target) throw new NotFoundError('user');
  const { name, role, team, active, password, resetTwoFactor } = change;
  if (target.id === admin.id && (active === false || role === 'member')) {
    throw new AuthError('cannot_demote_self', 'You cannot deactivate yourself or remove your own admin role.');
  }
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('users')
      .set({
        ...(name !== undefined && { name }),
        ...(role !== undefined && { role }),
        ...(team !== undefined && { team }),
        ...(active !== undefined && { active }),
        ...(resetTwoFactor && { totp_secret: null, totp_pending: null }),
        ...(password !== undefined && { password_hash: await hashPassword(password), password_changed_at: new Date() }),
        updated_at: new Date(),
      })
      .where('id', '=', target.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (resetTwoFactor) {
      for (const id of [target.totp_secret, target.totp_pending]) if (id) await vault.delete(trx, id);
      await deleteRecoveryCodes(trx, target.id);
    }
    // Deactivation and a password reset end every session of that user at once.
    if (active === false || password !== undefined) await trx.deleteFrom('sessions').where('user_id', '=', target.id).execute();
    // A reset is the way back in after a burst of guesses: the new password starts with clean counters.
    if (password !== undefined || resetTwoFactor) await clearAccountThrottle(trx, target.email, target.id);
    await recordAudit(trx, {
      actorUserId: admin.id,
      action: 'user.update',
      targetType: 'user',
      targetId: target.id,
      ip,
      detail: { changed: Object.keys(change), ...(role !== undefined && { role }), ...(active !== undefined && { active }) },
    });
    return presentUser(updated);
  });
}

export interface ProfileChange {
  name?: string | undefined;
  locale?: string | null | undefined;
}

/** A person changes their own display name or language. */
export async function updateProfile(db: Kysely<Database>, user: User, change: ProfileChange): Promise<PresentedUser> {
  const { name, locale } = change;
  const updated = await db
    .updateTable('users')
    .set({ ...(name !== undefined && { name }), ...(locale !== undefined && { locale }), updated_at: new Date() })
    .where('id', '=', user.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return presentUser(updated);
}
