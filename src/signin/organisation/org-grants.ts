import type { Kysely, Transaction, Updateable } from 'kysely';
import { type Actor, type AuditLine, auditedWrite } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import { ValidationError } from '../../kernel/index.ts';
import { findApp, requireApp } from '../apps.ts';
import type { SigninDeps } from '../deps.ts';
import { MICROSOFT_TENANTS, TENANT_ID } from '../providers.ts';
import { OrgGrantError } from './errors.ts';
import { parseServiceAccountKey } from './service-account-key.ts';
import type { SigninOrgGrantRow, SigninOrgGrantsTable } from './tables.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type OrgProvider = 'google' | 'microsoft';

/** The scope of Microsoft's app-only IMAP/SMTP token (application permissions IMAP.AccessAsApp, SMTP.SendAsApp). */
export const MICROSOFT_APP_SCOPE = 'https://outlook.office365.com/.default';
/** The scope of Microsoft's app-only Graph token (application permission Mail.ReadWrite). */
export const GRAPH_APP_SCOPE = 'https://graph.microsoft.com/.default';
/** What a delegated Google token must carry for IMAP and SMTP. */
export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';

export function findOrgGrant(db: Executor, provider: OrgProvider): Promise<SigninOrgGrantRow | undefined> {
  return db.selectFrom('signin_org_grants').selectAll().where('provider', '=', provider).executeTakeFirst();
}

export function findOrgGrantById(db: Executor, id: string): Promise<SigninOrgGrantRow | undefined> {
  return db.selectFrom('signin_org_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

export function domainsOf(row: Pick<SigninOrgGrantRow, 'domains'>): string[] {
  return row.domains.split(' ').filter(Boolean);
}

/** The grant covers this address: its domain is one the admin listed. */
export function assertCovers(row: Pick<SigninOrgGrantRow, 'domains' | 'provider'>, address: string): void {
  const domain = address.split('@')[1]?.toLowerCase() ?? '';
  if (!domainsOf(row).includes(domain))
    throw new OrgGrantError(
      'org_domain_not_covered',
      `${address} is not in a domain this organisation access covers (${domainsOf(row).join(', ')}).`,
      {
        details: { address, domains: domainsOf(row) },
      },
    );
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

function checkDomains(domains: string[]): string {
  const clean = [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))];
  if (clean.length === 0) throw new ValidationError('List at least one mail domain.', [{ path: 'domains', message: 'required' }]);
  const bad = clean.findIndex((d) => !DOMAIN.test(d));
  if (bad >= 0) throw new ValidationError(`${clean[bad]} is not a domain.`, [{ path: `domains.${bad}`, message: 'not a domain' }]);
  return clean.join(' ');
}

function checkTenant(tenant: string): string {
  const value = tenant.trim();
  if ((MICROSOFT_TENANTS as readonly string[]).includes(value.toLowerCase()))
    throw new OrgGrantError(
      'org_tenant_required',
      'Application permissions work for one tenant: enter its tenant ID (Directory ID) or a verified domain, not common, organizations or consumers.',
    );
  if (!TENANT_ID.test(value) && !DOMAIN.test(value.toLowerCase()))
    throw new ValidationError('The tenant must be a tenant ID or a verified domain.', [{ path: 'tenant', message: 'not a tenant' }]);
  return value.toLowerCase();
}

export interface SaveMicrosoftOrgInput {
  tenant: string;
  domains: string[];
}

export interface SaveGoogleOrgInput {
  /** The service account's JSON key file; absent on an update that keeps the stored key. */
  serviceAccountKey?: string;
  domains: string[];
}

/** Microsoft 365 application permissions: the Microsoft sign-in app's credentials, for one tenant. */
export async function saveMicrosoftOrgGrant(deps: Pick<SigninDeps, 'db' | 'signin'>, actor: Actor, input: SaveMicrosoftOrgInput) {
  const tenant = checkTenant(input.tenant);
  const domains = checkDomains(input.domains);
  const app = await requireApp(deps, 'microsoft');
  if (!app.hasSecret)
    throw new OrgGrantError(
      'org_app_secret_required',
      'The Microsoft sign-in app has no client secret. Application permissions (client credentials) need one: add a secret to the app first.',
    );
  await auditedWrite(deps.db, actor, async (trx) => {
    await upsertOrgGrant(trx, 'microsoft', await findOrgGrant(trx, 'microsoft'), { tenant, domains, updated_by: actor.user.id });
    return { result: undefined, audit: saveAudit('microsoft', { tenant, domains: domains.split(' '), clientId: app.clientId }) };
  });
}

/** Google Workspace domain-wide delegation: the service account's private key goes to the vault, write-only. */
export async function saveGoogleOrgGrant(deps: Pick<SigninDeps, 'db' | 'vault'>, actor: Actor, input: SaveGoogleOrgInput) {
  const domains = checkDomains(input.domains);
  const key = input.serviceAccountKey === undefined ? null : parseServiceAccountKey(input.serviceAccountKey);
  await auditedWrite(deps.db, actor, async (trx) => {
    const existing = await findOrgGrant(trx, 'google');
    if (!key && !existing?.key_secret_id)
      throw new ValidationError('Upload the service account key (JSON).', [{ path: 'serviceAccountKey', message: 'required' }]);
    let keySecretId = existing?.key_secret_id ?? null;
    if (key) {
      const owner = { ownerType: 'signin_org_grant', ownerId: 'google', kind: 'service_account_key' };
      keySecretId = await deps.vault.putOrReplace(trx, keySecretId, owner, key.privateKeyPem);
    }
    await upsertOrgGrant(trx, 'google', existing, {
      domains,
      key_secret_id: keySecretId,
      ...(key && { service_account_email: key.clientEmail, service_account_client_id: key.clientId, key_id: key.keyId }),
      updated_by: actor.user.id,
    });
    const serviceAccount = key?.clientEmail ?? existing?.service_account_email ?? null;
    return {
      result: undefined,
      audit: saveAudit('google', { domains: domains.split(' '), serviceAccount, key: key ? 'changed' : 'kept' }),
    };
  });
}

/** Writes the provider's one grant row: updates the one there is, or inserts it. */
async function upsertOrgGrant(
  trx: Transaction<Database>,
  provider: OrgProvider,
  existing: SigninOrgGrantRow | undefined,
  changes: Omit<Updateable<SigninOrgGrantsTable>, 'id' | 'provider' | 'updated_at'> & { updated_by: string; domains: string },
): Promise<void> {
  const values = { ...changes, updated_at: new Date() };
  if (existing) await trx.updateTable('signin_org_grants').set(values).where('id', '=', existing.id).execute();
  else
    await trx
      .insertInto('signin_org_grants')
      .values({ provider, ...values })
      .execute();
}

function saveAudit(provider: OrgProvider, detail: Record<string, unknown>): AuditLine {
  return { action: 'signin_org_grant.save', targetType: 'signin_org_grant', targetId: provider, detail };
}

/** Removes the organisation access: mailboxes bound through it lose their sign-in (they need attention). */
export async function deleteOrgGrant(deps: Pick<SigninDeps, 'db' | 'vault'>, actor: Actor, provider: OrgProvider): Promise<void> {
  await auditedWrite(deps.db, actor, async (trx) => {
    const existing = await findOrgGrant(trx, provider);
    if (!existing) return { result: undefined, audit: null };
    const bound = await trx.selectFrom('signin_grants').select('id').where('org_grant_id', '=', existing.id).execute();
    await trx.deleteFrom('signin_org_grants').where('id', '=', existing.id).execute();
    if (existing.key_secret_id) await deps.vault.delete(trx, existing.key_secret_id);
    const detail = { mailboxesAffected: bound.length };
    return { result: undefined, audit: { action: 'signin_org_grant.delete', targetType: 'signin_org_grant', targetId: provider, detail } };
  });
}

/** What the settings page shows: never the key, only whether there is one. */
export async function presentOrgGrants(deps: Pick<SigninDeps, 'db' | 'signin'>) {
  const rows = await deps.db.selectFrom('signin_org_grants').selectAll().execute();
  const counts = await deps.db
    .selectFrom('signin_grants')
    .select(['org_grant_id', deps.db.fn.countAll<string>().as('n')])
    .where('kind', '=', 'organisation')
    .groupBy('org_grant_id')
    .execute();
  const microsoftApp = await findApp(deps, 'microsoft');
  return (['microsoft', 'google'] as const).map((provider) => {
    const row = rows.find((r) => r.provider === provider);
    return {
      provider,
      configured: Boolean(row),
      tenant: provider === 'microsoft' ? (row?.tenant ?? null) : null,
      domains: row ? domainsOf(row) : [],
      /** Microsoft: the sign-in app's application id the admin grants permissions to. */
      clientId: provider === 'microsoft' ? (microsoftApp?.clientId ?? null) : (row?.service_account_client_id ?? null),
      appHasSecret: provider === 'microsoft' ? Boolean(microsoftApp?.hasSecret) : null,
      serviceAccountEmail: provider === 'google' ? (row?.service_account_email ?? null) : null,
      hasKey: provider === 'google' ? Boolean(row?.key_secret_id) : null,
      mailboxes: Number(counts.find((c) => c.org_grant_id === row?.id)?.n ?? 0),
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    };
  });
}
