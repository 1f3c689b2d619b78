import type { Kysely, Transaction } from 'kysely';
import { auditedWrite } from '../audit/index.ts';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { ValidationError } from '../kernel/index.ts';
import type { SigninDeps } from './deps.ts';
import { SigninError } from './errors.ts';
import { issuerFor, MICROSOFT_TENANTS, PROVIDER_KINDS, TENANT_ID } from './providers.ts';
import type { OAuthProviderKind, SigninAppRow } from './tables.ts';

/** A sign-in app ready to use: its client secret revealed, its issuer resolved. Never leaves the module. */
export interface ResolvedApp {
  provider: OAuthProviderKind;
  clientId: string;
  clientSecret: string | null;
  tenant: string | null;
  issuer: string;
  source: 'settings' | 'environment';
}

type Executor = Kysely<Database> | Transaction<Database>;

/** A configured app as far as it can be known without revealing its secret. */
type FoundApp = { clientId: string; tenant: string | null; hasSecret: boolean } & (
  | { source: 'environment'; clientSecret: string | null }
  | { source: 'settings'; secretId: string | null }
);

export function issuerOf(deps: Pick<SigninDeps, 'signin'>, provider: OAuthProviderKind, tenant: string | null): string {
  return issuerFor(provider, { googleIssuer: deps.signin.google.issuer, microsoftAuthority: deps.signin.microsoft.authority, tenant });
}

export function findAppRow(db: Executor, provider: OAuthProviderKind): Promise<SigninAppRow | undefined> {
  return db.selectFrom('signin_apps').selectAll().where('provider', '=', provider).executeTakeFirst();
}

/**
 * The app configured for a provider, its secret left in the vault: the environment wins over the settings.
 * Enough to show it or to check that it exists; signing in needs resolveApp.
 */
export async function findApp(deps: Pick<SigninDeps, 'db' | 'signin'>, provider: OAuthProviderKind): Promise<FoundApp | null> {
  const c = deps.signin[provider];
  if (c.clientId)
    return {
      source: 'environment',
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      hasSecret: c.clientSecret !== null,
      tenant: provider === 'microsoft' ? (deps.signin.microsoft.tenant ?? 'common') : null,
    };
  const row = await findAppRow(deps.db, provider);
  if (!row) return null;
  return { source: 'settings', clientId: row.client_id, secretId: row.secret_id, hasSecret: Boolean(row.secret_id), tenant: row.tenant };
}

/** The app configured for a provider, or oauth_app_missing. */
export async function requireApp(deps: Pick<SigninDeps, 'db' | 'signin'>, provider: OAuthProviderKind): Promise<FoundApp> {
  const app = await findApp(deps, provider);
  if (!app)
    throw new SigninError(
      'oauth_app_missing',
      `No sign-in app is configured for ${provider}. An admin sets it up in Settings › Mailboxes › Sign-in apps.`,
      {
        details: { provider },
      },
    );
  return app;
}

/** The app to sign in with: its client secret revealed, its issuer resolved. */
export async function resolveApp(deps: Pick<SigninDeps, 'db' | 'vault' | 'signin'>, provider: OAuthProviderKind): Promise<ResolvedApp> {
  const app = await requireApp(deps, provider);
  const clientSecret = app.source === 'environment' ? app.clientSecret : app.secretId ? await deps.vault.reveal(app.secretId) : null;
  return {
    provider,
    clientId: app.clientId,
    clientSecret,
    tenant: app.tenant,
    issuer: issuerOf(deps, provider, app.tenant),
    source: app.source,
  };
}

/** What GET /api/v1/signin-apps shows: never the secret, only whether there is one. */
export async function presentApps(deps: Pick<SigninDeps, 'db' | 'signin' | 'redirectUri'>) {
  return Promise.all(
    PROVIDER_KINDS.map(async (provider) => {
      const app = await findApp(deps, provider);
      return {
        provider,
        configured: Boolean(app),
        clientId: app?.clientId ?? null,
        hasSecret: app?.hasSecret ?? false,
        tenant: provider === 'microsoft' ? (app?.tenant ?? null) : null,
        source: app?.source ?? ('settings' as const),
        redirectUri: deps.redirectUri,
      };
    }),
  );
}

export interface SaveAppInput {
  clientId: string;
  /** Absent: keep the stored secret. null: remove it (a Microsoft public client). */
  clientSecret?: string | null;
  tenant?: string;
}

function checkTenant(provider: OAuthProviderKind, tenant: string | undefined): string | null {
  if (provider === 'google') {
    if (tenant !== undefined) throw new ValidationError('Google apps have no tenant.', [{ path: 'tenant', message: 'only for Microsoft' }]);
    return null;
  }
  const value = tenant ?? 'common';
  const known = (MICROSOFT_TENANTS as readonly string[]).includes(value);
  const id = TENANT_ID.test(value) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value);
  if (!known && !id)
    throw new ValidationError('The tenant must be common, organizations, consumers, a tenant id or a verified domain.', [
      { path: 'tenant', message: 'not a tenant' },
    ]);
  return value;
}

/** Saves an app; its secret goes to the vault (write-only). Audit names the fields changed, never the secret. */
export async function saveApp(
  deps: Pick<SigninDeps, 'db' | 'vault'>,
  actor: User,
  provider: OAuthProviderKind,
  input: SaveAppInput,
  ip: string,
) {
  const tenant = checkTenant(provider, input.tenant);
  if (provider === 'google' && input.clientSecret === null)
    throw new ValidationError('Google sign-in needs the client secret.', [{ path: 'clientSecret', message: 'required for Google' }]);
  await auditedWrite(deps.db, { user: actor, ip }, async (trx) => {
    const existing = await findAppRow(trx, provider);
    let secretId = existing?.secret_id ?? null;
    if (input.clientSecret === null && secretId) {
      await deps.vault.delete(trx, secretId);
      secretId = null;
    } else if (typeof input.clientSecret === 'string') {
      const owner = { ownerType: 'signin_app', ownerId: provider, kind: 'oauth_client_secret' };
      secretId = await deps.vault.putOrReplace(trx, secretId, owner, input.clientSecret);
    }
    if (provider === 'google' && !secretId)
      throw new ValidationError('Google sign-in needs the client secret.', [{ path: 'clientSecret', message: 'required for Google' }]);
    const values = { client_id: input.clientId, secret_id: secretId, tenant, updated_by: actor.id, updated_at: new Date() };
    if (existing) await trx.updateTable('signin_apps').set(values).where('provider', '=', provider).execute();
    else
      await trx
        .insertInto('signin_apps')
        .values({ provider, ...values })
        .execute();
    const clientSecret = input.clientSecret === undefined ? 'kept' : input.clientSecret === null ? 'removed' : 'changed';
    const detail = { clientId: input.clientId, tenant, clientSecret };
    return { result: undefined, audit: { action: 'signin_app.save', targetType: 'signin_app', targetId: provider, detail } };
  });
}

export async function deleteApp(
  deps: Pick<SigninDeps, 'db' | 'vault'>,
  actor: User,
  provider: OAuthProviderKind,
  ip: string,
): Promise<void> {
  await auditedWrite(deps.db, { user: actor, ip }, async (trx) => {
    const existing = await findAppRow(trx, provider);
    if (!existing) return { result: undefined, audit: null };
    await trx.deleteFrom('signin_apps').where('provider', '=', provider).execute();
    if (existing.secret_id) await deps.vault.delete(trx, existing.secret_id);
    return { result: undefined, audit: { action: 'signin_app.delete', targetType: 'signin_app', targetId: provider } };
  });
}
