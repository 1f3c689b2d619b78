import { recordAudit } from '../audit/index.ts';
import type { User } from '../auth/tables.ts';
import { findUserById } from '../auth/users.ts';
import { NotFoundError, ValidationError } from '../kernel/index.ts';
import { requireApp } from './apps.ts';
import type { SigninDeps } from './deps.ts';
import type { OAuthProviderKind, SigninInvitationRow } from './tables.ts';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The page an invited owner opens (signed in as themselves) to sign in with the provider. */
export function invitationUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/settings/mailboxes?invitation=${encodeURIComponent(id)}`;
}

export function presentInvitation(row: SigninInvitationRow, baseUrl: string) {
  return {
    id: row.id,
    ownerUserId: row.owner_user_id,
    email: row.email,
    provider: row.provider,
    url: invitationUrl(baseUrl, row.id),
    expiresAt: new Date(row.expires_at).toISOString(),
    usedAt: row.used_at ? new Date(row.used_at).toISOString() : null,
    mailboxId: row.mailbox_id,
  };
}

/**
 * An admin asks a user to bind their own mailbox: the link works only for that user, who signs in with
 * the provider themselves, so the admin never sees or handles the user's password or tokens.
 */
export async function createInvitation(
  deps: Pick<SigninDeps, 'db' | 'signin'>,
  actor: User,
  input: { ownerUserId: string; email: string; provider: OAuthProviderKind },
  ip: string,
): Promise<SigninInvitationRow> {
  const owner = await findUserById(deps.db, input.ownerUserId);
  if (!owner?.active)
    throw new ValidationError('The owner must be an active user.', [{ path: 'ownerUserId', message: 'not an active user' }]);
  await requireApp(deps, input.provider); // oauth_app_missing now, not when the owner clicks
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('signin_invitations')
      .values({
        owner_user_id: owner.id,
        email: input.email.toLowerCase(),
        provider: input.provider,
        created_by: actor.id,
        expires_at: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'signin.invite',
      targetType: 'signin_invitation',
      targetId: row.id,
      ip,
      detail: { owner: owner.id, email: row.email, provider: row.provider },
    });
    return row;
  });
}

/** The invited owner, or an admin, may look at an invitation; anyone else learns nothing. */
export async function findInvitationFor(deps: Pick<SigninDeps, 'db'>, actor: User, id: string): Promise<SigninInvitationRow> {
  const row = await deps.db.selectFrom('signin_invitations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (row.owner_user_id !== actor.id && actor.role !== 'admin')) throw new NotFoundError('invitation');
  return row;
}
