import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import * as oauth from 'oauth4webapi';
import { issuerOf, resolveApp, type ResolvedApp } from '../apps.ts';
import type { SigninDeps } from '../deps.ts';
import { SigninError } from '../errors.ts';
import { requestOptions, serverFor, toSigninError } from '../oauth-client.ts';
import type { SigninGrantRow } from '../tables.ts';
import { OrgGrantError } from './errors.ts';
import { assertCovers, findOrgGrantById, GOOGLE_MAIL_SCOPE, GRAPH_APP_SCOPE, MICROSOFT_APP_SCOPE } from './org-grants.ts';
import type { MailAccess } from '../tables.ts';
import type { SigninOrgGrantRow } from './tables.ts';

/** RFC 7523 §2.1: an assertion used as an authorization grant. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts assertions valid for at most an hour. */
const ASSERTION_LIFETIME_S = 3600;

export interface MintedToken {
  accessToken: string;
  expiresAt: Date;
}

/**
 * Access tokens minted from an organisation grant, never stored: Microsoft's client credentials give one
 * app-only token per tenant (good for every mailbox the service principal was given in Exchange Online);
 * Google's JWT bearer grant gives one token per user (the assertion's `sub`). They are cached in memory
 * until shortly before they expire and requested once at a time per key (concurrent callers share the
 * request). With no refresh token there is nothing to revoke locally: a failure is reported as it is.
 */
export interface OrganisationTokens {
  /** For a mailbox address the org grant covers. */
  tokenFor(org: SigninOrgGrantRow, address: string, opts?: TokenOptions): Promise<MintedToken>;
  /** For a grant of kind 'organisation' (what AccessTokenSource asks for an org-bound mailbox). */
  accessTokenForGrant(grant: SigninGrantRow, opts?: TokenOptions): Promise<string>;
}

interface TokenOptions {
  minValiditySeconds?: number;
  /** Microsoft: an app-only token for IMAP/SMTP (default) or for Microsoft Graph. */
  access?: MailAccess;
}

const shared = new WeakMap<object, OrganisationTokens>();

/** One cache per sign-in configuration, shared by the sync's token source and the bulk binding. */
export function organisationTokensFor(deps: Pick<SigninDeps, 'db' | 'vault' | 'signin' | 'timeoutMs' | 'log'>): OrganisationTokens {
  let tokens = shared.get(deps);
  if (!tokens) {
    tokens = createOrganisationTokens(deps);
    shared.set(deps, tokens);
  }
  return tokens;
}

export function createOrganisationTokens(deps: Pick<SigninDeps, 'db' | 'vault' | 'signin' | 'timeoutMs' | 'log'>): OrganisationTokens {
  const cache = new Map<string, MintedToken>();
  const inflight = new Map<string, Promise<MintedToken>>();

  /** The Microsoft sign-in app, pointed at the org grant's tenant (client credentials need one tenant). */
  async function microsoftAppFor(org: SigninOrgGrantRow): Promise<ResolvedApp> {
    const app = await resolveApp(deps, 'microsoft');
    if (!app.clientSecret)
      throw new OrgGrantError(
        'org_app_secret_required',
        'The Microsoft sign-in app has no client secret: application permissions need one.',
      );
    return { ...app, tenant: org.tenant, issuer: issuerOf(deps, 'microsoft', org.tenant) };
  }

  async function clientCredentials(org: SigninOrgGrantRow, access: MailAccess): Promise<MintedToken> {
    const app = await microsoftAppFor(org);
    const as = await serverFor(app, deps.timeoutMs);
    const client: oauth.Client = { client_id: app.clientId };
    try {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        oauth.ClientSecretPost(app.clientSecret!),
        { scope: access === 'graph' ? GRAPH_APP_SCOPE : MICROSOFT_APP_SCOPE },
        requestOptions(app.issuer, deps.timeoutMs),
      );
      const result = await oauth.processClientCredentialsResponse(as, client, response);
      return { accessToken: result.access_token, expiresAt: new Date(Date.now() + (result.expires_in ?? 3600) * 1000) };
    } catch (err) {
      throw toSigninError(err);
    }
  }

  /** Google's words for a delegation that is not allowed or a user that does not exist, as our codes. */
  function googleRefusal(err: unknown, org: SigninOrgGrantRow, address: string): unknown {
    if (!(err instanceof oauth.ResponseBodyError)) return toSigninError(err);
    const said = `${err.error} ${err.error_description ?? ''}`;
    if (err.error === 'unauthorized_client' || err.error === 'access_denied')
      return new OrgGrantError(
        'org_delegation_missing',
        `Google refused the delegation: in the Google Admin console, Security › API controls › Domain-wide delegation, allow client ID ${org.service_account_client_id} the scope ${GOOGLE_MAIL_SCOPE}.`,
        { details: { providerMessage: said.trim(), clientId: org.service_account_client_id } },
      );
    if (err.error === 'invalid_grant' && /email|user id|not found|suspend|disabled/i.test(err.error_description ?? ''))
      return new OrgGrantError('org_user_unknown', `Google does not know ${address} in this Workspace (or the user is suspended).`, {
        details: { providerMessage: said.trim(), address },
      });
    return toSigninError(err);
  }

  async function jwtBearer(org: SigninOrgGrantRow, address: string): Promise<MintedToken> {
    if (!org.key_secret_id || !org.service_account_email || !org.service_account_client_id)
      throw new OrgGrantError('org_grant_missing', 'The Google service account key is missing: upload it again.');
    const issuer = deps.signin.google.issuer;
    const app: ResolvedApp = {
      provider: 'google',
      clientId: org.service_account_client_id,
      clientSecret: null,
      tenant: null,
      issuer,
      source: 'settings',
    };
    const as = await serverFor(app, deps.timeoutMs);
    if (!as.token_endpoint) throw new SigninError('oauth_provider_error', 'Google has no token endpoint in its discovery document.');
    const key = createPrivateKey(await deps.vault.reveal(org.key_secret_id));
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope: GOOGLE_MAIL_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(org.key_id && { kid: org.key_id }) })
      .setIssuer(org.service_account_email)
      .setSubject(address)
      .setAudience(as.token_endpoint)
      .setIssuedAt(now)
      .setExpirationTime(now + ASSERTION_LIFETIME_S)
      .sign(key);
    // The assertion is the credential; the client id only names the service account (as Google's own libraries do not need to).
    const client: oauth.Client = { client_id: org.service_account_client_id };
    try {
      const response = await oauth.genericTokenEndpointRequest(
        as,
        client,
        oauth.None(),
        JWT_BEARER_GRANT,
        { assertion },
        requestOptions(issuer, deps.timeoutMs),
      );
      const result = await oauth.processGenericTokenEndpointResponse(as, client, response);
      return { accessToken: result.access_token, expiresAt: new Date(Date.now() + (result.expires_in ?? 3600) * 1000) };
    } catch (err) {
      throw googleRefusal(err, org, address);
    }
  }

  function keyOf(org: SigninOrgGrantRow, address: string, access: MailAccess): string {
    // A changed org grant (new key, new tenant) must not reuse tokens minted before the change.
    const stamp = new Date(org.updated_at).getTime();
    return org.provider === 'microsoft' ? `${org.id}:${stamp}:*:${access}` : `${org.id}:${stamp}:${address.toLowerCase()}`;
  }

  async function tokenFor(org: SigninOrgGrantRow, address: string, opts?: TokenOptions): Promise<MintedToken> {
    assertCovers(org, address);
    const minValidityMs = (opts?.minValiditySeconds ?? 300) * 1000;
    const access = opts?.access ?? 'imap';
    const key = keyOf(org, address, access);
    const cached = cache.get(key);
    if (cached && cached.expiresAt.getTime() - Date.now() > minValidityMs) return cached;
    let pending = inflight.get(key);
    if (!pending) {
      pending = (org.provider === 'microsoft' ? clientCredentials(org, access) : jwtBearer(org, address))
        .then((minted) => {
          cache.set(key, minted);
          deps.log.info(
            { orgGrant: org.id, provider: org.provider, expiresAt: minted.expiresAt.toISOString() },
            'organisation access token minted',
          );
          return minted;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  return {
    tokenFor,
    async accessTokenForGrant(grant, opts) {
      const org = grant.org_grant_id ? await findOrgGrantById(deps.db, grant.org_grant_id) : undefined;
      if (!org)
        throw new OrgGrantError('org_grant_missing', 'The organisation access this mailbox was bound with was removed: bind it again.');
      return (await tokenFor(org, grant.email, opts)).accessToken;
    },
  };
}
