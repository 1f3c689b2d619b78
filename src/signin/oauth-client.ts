import * as oauth from 'oauth4webapi';
import type { ResolvedApp } from './apps.ts';
import { SigninError, type SigninErrorCode } from './errors.ts';
import { grantedAllRequired, profileFor } from './providers.ts';
import type { MailAccess } from './tables.ts';
import { providerMessage, signinErrorCodeFor } from './token-errors.ts';

/**
 * The one place that speaks OAuth, through oauth4webapi: discovery, the authorization URL, the code
 * and device-code grants and refresh. Every failure leaves as a SigninError with one of our codes and
 * the provider's own (token-free) words; tokens leave only in the returned TokenSet.
 */

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
  scope: string | undefined;
  /** From the validated ID token, when one came. */
  claims: { sub: string; email: string | null } | null;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const METADATA_TTL_MS = 60 * 60 * 1000;
/** Discovery documents by issuer: one request per issuer an hour, shared by callers that ask at once. */
const metadataCache = new Map<string, { as: Promise<oauth.AuthorizationServer>; at: number }>();

export function requestOptions(issuer: string, timeoutMs = DEFAULT_TIMEOUT_MS) {
  // Plain http is allowed for loopback issuers only (checked where issuers are configured).
  return { signal: AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: new URL(issuer).protocol === 'http:' };
}

/** Microsoft's multi-tenant discovery names the issuer `…/{tenantid}/v2.0` (or the tenant's GUID for /consumers). */
const MICROSOFT_ISSUER_PATH = /^\/(\{tenantid\}|%7Btenantid%7D|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/?$/i;

function expectedIssuer(app: ResolvedApp, advertised: unknown): URL {
  const configured = new URL(app.issuer);
  if (app.provider !== 'microsoft' || typeof advertised !== 'string') return configured;
  try {
    const url = new URL(advertised);
    if (url.origin === configured.origin && MICROSOFT_ISSUER_PATH.test(url.pathname)) return url;
  } catch {
    // not a URL: processDiscoveryResponse reports it
  }
  return configured;
}

function discover(app: ResolvedApp, timeoutMs?: number): Promise<oauth.AuthorizationServer> {
  return guarded(async () => {
    const response = await oauth.discoveryRequest(new URL(app.issuer), { algorithm: 'oidc', ...requestOptions(app.issuer, timeoutMs) });
    const advertised = response.ok
      ? (
          (await response
            .clone()
            .json()
            .catch(() => null)) as { issuer?: unknown } | null
        )?.issuer
      : undefined;
    return oauth.processDiscoveryResponse(expectedIssuer(app, advertised), response);
  });
}

export function serverFor(app: ResolvedApp, timeoutMs?: number): Promise<oauth.AuthorizationServer> {
  const cached = metadataCache.get(app.issuer);
  if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.as;
  const as = discover(app, timeoutMs);
  metadataCache.set(app.issuer, { as, at: Date.now() });
  // A failed discovery is not kept: the next caller asks again.
  as.catch(() => {
    if (metadataCache.get(app.issuer)?.as === as) metadataCache.delete(app.issuer);
  });
  return as;
}

/** For tests that restart a provider on the same address. */
export function forgetServerMetadata(): void {
  metadataCache.clear();
}

/** How long a call to the provider may take, and which mail access its tokens are for (default IMAP/SMTP). */
export interface OAuthCallOptions {
  timeoutMs?: number | undefined;
  access?: MailAccess | undefined;
}

/** The provider's server (its metadata, cached per issuer) and the sign-in app as its client. */
async function endpointOf(
  app: ResolvedApp,
  timeoutMs: number | undefined,
): Promise<{ as: oauth.AuthorizationServer; client: oauth.Client; auth: oauth.ClientAuth }> {
  const as = await serverFor(app, timeoutMs);
  return { as, client: { client_id: app.clientId }, auth: app.clientSecret ? oauth.ClientSecretPost(app.clientSecret) : oauth.None() };
}

/**
 * Microsoft's template issuer holds the tenant of whoever signed in: the ID token's `iss` must be the
 * template with that token's `tid`, as Microsoft documents. The tid is read from the (unverified) token
 * only to fill in the template; oauth4webapi then checks `iss` against the result.
 */
async function issuerFixed(as: oauth.AuthorizationServer, response: Response): Promise<oauth.AuthorizationServer> {
  if (!/\{tenantid\}/i.test(as.issuer)) return as;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { id_token?: unknown } | null;
  const idToken = typeof body?.id_token === 'string' ? body.id_token : null;
  const payload = idToken?.split('.')[1];
  let tid: unknown;
  try {
    tid = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown }).tid : undefined;
  } catch {
    tid = undefined;
  }
  if (typeof tid !== 'string' || !/^[0-9a-f-]{36}$/i.test(tid)) return as;
  return { ...as, issuer: as.issuer.replace(/\{tenantid\}/i, tid) };
}

function fail(code: SigninErrorCode, message: string, providerText?: string | null, cause?: unknown): SigninError {
  return new SigninError(code, message, { cause, details: providerText ? { providerMessage: providerText } : {} });
}

/** Turns whatever oauth4webapi or fetch threw into a SigninError. */
export function toSigninError(err: unknown): SigninError {
  if (err instanceof SigninError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    const answer = {
      status: err.status,
      ...(err.cause as Record<string, never>),
      error: err.error,
      error_description: err.error_description,
    };
    return fail(signinErrorCodeFor(answer), `The provider refused: ${providerMessage(answer) ?? err.error}`, providerMessage(answer));
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    const answer = { error: err.error, error_description: err.error_description };
    return fail(
      signinErrorCodeFor(answer),
      `The sign-in was not completed: ${providerMessage(answer) ?? err.error}`,
      providerMessage(answer),
    );
  }
  if (err instanceof oauth.OperationProcessingError) {
    const cause = err.cause as { claim?: string; status?: number } | Response | undefined;
    if (cause instanceof Response)
      return fail(
        cause.status >= 500 ? 'oauth_provider_unreachable' : 'oauth_provider_error',
        `The provider answered with HTTP ${cause.status}.`,
      );
    if (err.code === oauth.JWT_CLAIM_COMPARISON && cause && 'claim' in cause && cause.claim === 'nonce')
      return fail('oauth_nonce_invalid', 'The ID token was not issued for this sign-in (its nonce does not match).');
    if (err.code === oauth.JWT_CLAIM_COMPARISON || err.code === oauth.JWT_TIMESTAMP_CHECK)
      return fail('oauth_id_token_invalid', `The ID token failed a check: ${err.message}`);
    if (err.code === oauth.RESPONSE_IS_NOT_CONFORM || err.code === oauth.RESPONSE_IS_NOT_JSON)
      return fail('oauth_provider_unreachable', `The provider gave an answer that is not OAuth: ${err.message}`);
    return fail('oauth_provider_error', `The provider's answer failed a check: ${err.message}`);
  }
  const name = (err as Error)?.name;
  if (err instanceof TypeError || name === 'TimeoutError' || name === 'AbortError')
    return fail('oauth_provider_unreachable', `The provider could not be reached: ${(err as Error).message}`, null, err);
  return fail('oauth_provider_error', `Signing in failed: ${(err as Error)?.message ?? String(err)}`, null, err);
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toSigninError(err);
  }
}

function tokenSet(app: ResolvedApp, result: oauth.TokenEndpointResponse, access: MailAccess): TokenSet {
  if (!grantedAllRequired(profileFor(app.provider, access), result.scope))
    throw fail('oauth_scope_missing', `The mail permission was not granted (granted: ${result.scope}).`);
  const claims = oauth.getValidatedIdTokenClaims(result);
  const email = claims ? emailOf(claims) : null;
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? null,
    expiresAt: new Date(Date.now() + (result.expires_in ?? 3600) * 1000),
    scope: result.scope,
    claims: claims ? { sub: claims.sub, email } : null,
  };
}

/** The address the ID token vouches for: `email` (Google only when verified), else Microsoft's preferred_username. */
function emailOf(claims: oauth.IDToken): string | null {
  const email = typeof claims.email === 'string' ? claims.email : null;
  if (email && claims.email_verified !== false) return email.toLowerCase();
  const preferred = typeof claims.preferred_username === 'string' ? claims.preferred_username : null;
  return preferred?.includes('@') ? preferred.toLowerCase() : null;
}

export async function authorizationUrl(
  app: ResolvedApp,
  p: OAuthCallOptions & { redirectUri: string; state: string; nonce: string; codeVerifier: string; loginHint: string },
): Promise<string> {
  const as = await serverFor(app, p.timeoutMs);
  if (!as.authorization_endpoint) throw fail('oauth_provider_error', 'The provider has no authorization endpoint.');
  const url = new URL(as.authorization_endpoint);
  const profile = profileFor(app.provider, p.access);
  const params: Record<string, string> = {
    client_id: app.clientId,
    redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: profile.scopes.join(' '),
    state: p.state,
    nonce: p.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(p.codeVerifier),
    code_challenge_method: 'S256',
    login_hint: p.loginHint,
    ...profile.authorizationParams,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

/** The callback's parameters → tokens, checking state (against the flow's), PKCE and the nonce. */
export async function exchangeCode(
  app: ResolvedApp,
  p: OAuthCallOptions & { callback: URLSearchParams; redirectUri: string; state: string; nonce: string; codeVerifier: string },
): Promise<TokenSet> {
  const { as, client, auth } = await endpointOf(app, p.timeoutMs);
  return guarded(async () => {
    const params = oauth.validateAuthResponse(as, client, p.callback, p.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      p.redirectUri,
      p.codeVerifier,
      requestOptions(app.issuer, p.timeoutMs),
    );
    const result = await oauth.processAuthorizationCodeResponse(await issuerFixed(as, response), client, response, {
      expectedNonce: p.nonce,
      requireIdToken: true,
    });
    return tokenSet(app, result, p.access ?? 'imap');
  });
}

export interface DeviceStart {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  expiresIn: number;
  interval: number;
}

export async function startDevice(app: ResolvedApp, opts: OAuthCallOptions = {}): Promise<DeviceStart> {
  const { as, client, auth } = await endpointOf(app, opts.timeoutMs);
  return guarded(async () => {
    const response = await oauth.deviceAuthorizationRequest(
      as,
      client,
      auth,
      { scope: profileFor(app.provider, opts.access ?? 'imap').scopes.join(' ') },
      requestOptions(app.issuer, opts.timeoutMs),
    );
    const r = await oauth.processDeviceAuthorizationResponse(as, client, response);
    return {
      deviceCode: r.device_code,
      userCode: r.user_code,
      verificationUri: r.verification_uri,
      expiresIn: r.expires_in,
      interval: r.interval ?? 5,
    };
  });
}

export type DevicePoll = { status: 'done'; tokens: TokenSet } | { status: 'pending'; slowDown: boolean };

export async function pollDevice(app: ResolvedApp, deviceCode: string, opts: OAuthCallOptions = {}): Promise<DevicePoll> {
  const { as, client, auth } = await endpointOf(app, opts.timeoutMs);
  try {
    const response = await oauth.deviceCodeGrantRequest(as, client, auth, deviceCode, requestOptions(app.issuer, opts.timeoutMs));
    const result = await oauth.processDeviceCodeResponse(await issuerFixed(as, response), client, response);
    return { status: 'done', tokens: tokenSet(app, result, opts.access ?? 'imap') };
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError && (err.error === 'authorization_pending' || err.error === 'slow_down'))
      return { status: 'pending', slowDown: err.error === 'slow_down' };
    if (err instanceof oauth.ResponseBodyError && err.error === 'expired_token')
      throw fail('oauth_state_invalid', 'The code expired before it was entered. Start again.');
    throw toSigninError(err);
  }
}

/**
 * A new access token from the refresh token. A Graph grant asks for Graph's scopes again: Microsoft's
 * refresh tokens serve several resources, and the scope picks the one the token is for.
 */
export async function refreshTokens(app: ResolvedApp, refreshToken: string, opts: OAuthCallOptions = {}): Promise<TokenSet> {
  const access = opts.access ?? 'imap';
  const { as, client, auth } = await endpointOf(app, opts.timeoutMs);
  return guarded(async () => {
    // The resource's scopes alone: the refresh token already carries openid and offline_access.
    const graphScopes = profileFor(app.provider, access).scopes.filter((s) => s.startsWith('https://'));
    const scope = access === 'graph' ? { additionalParameters: { scope: graphScopes.join(' ') } } : {};
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, {
      ...requestOptions(app.issuer, opts.timeoutMs),
      ...scope,
    });
    const result = await oauth.processRefreshTokenResponse(await issuerFixed(as, response), client, response);
    return tokenSet(app, result, access);
  });
}

export { generateRandomCodeVerifier, generateRandomNonce, generateRandomState } from 'oauth4webapi';
