import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Vault } from '../vault/index.ts';
import type { TokenSet } from './oauth-client.ts';
import type { OAuthProviderKind, SigninGrantRow } from './tables.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Stores what a sign-in gave: the refresh token and the access token, each sealed in the vault. */
export async function insertGrant(
  trx: Executor,
  vault: Vault,
  g: { provider: OAuthProviderKind; clientId: string; subject: string; email: string; tokens: TokenSet },
): Promise<string> {
  const owner = { ownerType: 'signin_grant', ownerId: null };
  const refreshSecretId = await vault.put(trx, { ...owner, kind: 'oauth_refresh_token' }, g.tokens.refreshToken!);
  const accessSecretId = await vault.put(trx, { ...owner, kind: 'oauth_access_token' }, g.tokens.accessToken);
  const row = await trx
    .insertInto('signin_grants')
    .values({
      provider: g.provider,
      client_id: g.clientId,
      subject: g.subject,
      email: g.email,
      scope: g.tokens.scope ?? '',
      refresh_secret_id: refreshSecretId,
      access_secret_id: accessSecretId,
      access_expires_at: g.tokens.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await vault.setOwner(trx, refreshSecretId, row.id);
  await vault.setOwner(trx, accessSecretId, row.id);
  return row.id;
}

export function findGrant(db: Executor, id: string): Promise<SigninGrantRow | undefined> {
  return db.selectFrom('signin_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findGrantOfMailbox(db: Executor, mailboxId: string): Promise<SigninGrantRow | undefined> {
  return db.selectFrom('signin_grants').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
}

/** Removes a grant and its tokens from the vault. */
export async function deleteGrant(
  trx: Executor,
  vault: Vault,
  grant: Pick<SigninGrantRow, 'id' | 'refresh_secret_id' | 'access_secret_id'>,
) {
  await trx.updateTable('signin_flows').set({ grant_id: null }).where('grant_id', '=', grant.id).execute();
  await trx.deleteFrom('signin_grants').where('id', '=', grant.id).execute();
  if (grant.refresh_secret_id) await vault.delete(trx, grant.refresh_secret_id);
  if (grant.access_secret_id) await vault.delete(trx, grant.access_secret_id);
}

/** Makes `grantId` the mailbox's one grant, removing the one it replaces (Sign in again, a changed server). */
export async function attachGrant(trx: Executor, vault: Vault, grantId: string, mailboxId: string): Promise<void> {
  const previous = await findGrantOfMailbox(trx, mailboxId);
  if (previous && previous.id !== grantId) await deleteGrant(trx, vault, previous);
  await trx.updateTable('signin_grants').set({ mailbox_id: mailboxId, updated_at: new Date() }).where('id', '=', grantId).execute();
}

/** The mailbox is being unbound: its grant's tokens leave the vault with it. */
export async function deleteGrantOfMailbox(trx: Executor, vault: Vault, mailboxId: string): Promise<void> {
  const grant = await findGrantOfMailbox(trx, mailboxId);
  if (grant) await deleteGrant(trx, vault, grant);
}

/** Grants from sign-ins nobody used, and flows long expired: their tokens should not linger. */
export async function sweepAbandoned(db: Kysely<Database>, vault: Vault): Promise<void> {
  const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
  await db.transaction().execute(async (trx) => {
    const flows = await trx.selectFrom('signin_flows').select(['id', 'secret_id']).where('expires_at', '<', dayAgo).execute();
    for (const f of flows) if (f.secret_id) await vault.delete(trx, f.secret_id);
    if (flows.length)
      await trx
        .deleteFrom('signin_flows')
        .where(
          'id',
          'in',
          flows.map((f) => f.id),
        )
        .execute();
    const grants = await trx
      .selectFrom('signin_grants')
      .select(['id', 'refresh_secret_id', 'access_secret_id'])
      .where('mailbox_id', 'is', null)
      .where('created_at', '<', dayAgo)
      .execute();
    for (const g of grants) await deleteGrant(trx, vault, g);
  });
}
