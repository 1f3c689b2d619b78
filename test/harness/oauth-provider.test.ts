import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MICROSOFT_APP_SCOPE, MICROSOFT_IMAP_SCOPE, oauthTestClient, startOAuthProvider } from './index.ts';
import type { OAuthProviderInstance, OAuthTestClient } from './index.ts';
import { Walker } from './oauth-walker.ts';
import { DEVICE_POLL_SECONDS } from './oauth-provider.ts';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** Where oauthTestClient's clients are sent back to. */
const REDIRECT_URI = 'http://127.0.0.1:9/oauth/callback';

/** An authorization request of the test client `c`: its client_id and redirect_uri, then `params`. */
function authorizationUrl(c: OAuthTestClient, params: Record<string, string>): string {
  const url = new URL(c.as.authorization_endpoint!);
  url.search = new URLSearchParams({ client_id: c.client.client_id, redirect_uri: REDIRECT_URI, ...params }).toString();
  return url.href;
}

/** A code request with PKCE for `openid email` alone: no state, no mail scope, no offline access. */
async function plainCodeRequest(c: OAuthTestClient, verifier: string): Promise<string> {
  return authorizationUrl(c, {
    response_type: 'code',
    scope: 'openid email',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
}

async function userinfo(provider: OAuthProviderInstance, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(provider.userinfoUrl, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function tokenError(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof oauth.ResponseBodyError ? err.error : `not a token endpoint error: ${String(err)}`;
  }
}

describe('local Google', () => {
  let google: OAuthProviderInstance;
  beforeAll(async () => {
    google = await startOAuthProvider({ kind: 'google' });
    google.addAccount('ann@gmail.com', { name: 'Ann', password: 'ann-pw' });
    google.addAccount('bob@corp.example', { name: 'Bob' });
  });
  afterAll(() => google?.stop());

  it('signs in with code + PKCE: ID token with email, a refresh token for access_type=offline, a mail token userinfo accepts', async () => {
    const c = await oauthTestClient(google);
    const tokens = await c.signIn('ann@gmail.com');
    expect(tokens.idTokenClaims).toMatchObject({ email: 'ann@gmail.com', email_verified: true, name: 'Ann', iss: google.issuer });
    expect(tokens.idTokenClaims?.hd).toBeUndefined();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scope?.split(' ')).toContain('https://mail.google.com/');
    expect(await userinfo(google, tokens.accessToken)).toMatchObject({ status: 200, body: { email: 'ann@gmail.com' } });

    const workspace = await c.signIn('bob@corp.example');
    expect(workspace.idTokenClaims).toMatchObject({ email: 'bob@corp.example', hd: 'corp.example' });

    const refreshed = await c.refresh(tokens.refreshToken!);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(await userinfo(google, refreshed.accessToken)).toMatchObject({ status: 200, body: { email: 'ann@gmail.com' } });
  });

  it('gives no refresh token without access_type=offline, and a token without the mail scope is no mail token', async () => {
    const c = await oauthTestClient(google);
    const verifier = oauth.generateRandomCodeVerifier();
    const back = await google.authorize(await plainCodeRequest(c, verifier), { email: 'ann@gmail.com' });
    const params = oauth.validateAuthResponse(c.as, c.client, new URL(back), oauth.expectNoState);
    const res = await oauth.authorizationCodeGrantRequest(
      c.as,
      c.client,
      oauth.ClientSecretPost('test-client-secret'),
      params,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(c.as, c.client, res);
    expect(tokens.refresh_token).toBeUndefined();
    expect((await userinfo(google, tokens.access_token)).status).toBe(401);
  });

  it('consent denied comes back as error=access_denied', async () => {
    const c = await oauthTestClient(google);
    await expect(c.signIn('ann@gmail.com', { consent: 'deny' })).rejects.toMatchObject({ code: 'OAUTH_ACCESS_DENIED' });
  });

  it('revoke: refresh answers invalid_grant and the access token stops working', async () => {
    google.addAccount('carl@gmail.com');
    const c = await oauthTestClient(google);
    const tokens = await c.signIn('carl@gmail.com');
    expect((await userinfo(google, tokens.accessToken)).status).toBe(200);
    await google.revoke('carl@gmail.com');
    expect(await tokenError(c.refresh(tokens.refreshToken!))).toBe('invalid_grant');
    expect((await userinfo(google, tokens.accessToken)).status).toBe(401);
    // Signing in again works and gives a working grant.
    const again = await c.signIn('carl@gmail.com');
    expect((await userinfo(google, (await c.refresh(again.refreshToken!)).accessToken)).status).toBe(200);
  });

  it('a short access token TTL: the token expires, a refresh gives a new one', async () => {
    google.addAccount('dora@gmail.com');
    const c = await oauthTestClient(google);
    google.setAccessTokenTtl(1);
    try {
      const tokens = await c.signIn('dora@gmail.com');
      expect(tokens.expiresIn).toBe(1);
      await new Promise((r) => setTimeout(r, 1_600));
      expect((await userinfo(google, tokens.accessToken)).status).toBe(401);
      const refreshed = await c.refresh(tokens.refreshToken!);
      expect((await userinfo(google, refreshed.accessToken)).status).toBe(200);
    } finally {
      google.setAccessTokenTtl(3600);
    }
  });
});

describe('local Microsoft', () => {
  let microsoft: OAuthProviderInstance;
  beforeAll(async () => {
    microsoft = await startOAuthProvider({ kind: 'microsoft' });
    microsoft.addAccount('erin@contoso.example', { name: 'Erin', password: 'erin-pw' });
  });
  afterAll(() => microsoft?.stop());

  it('signs in with offline_access: refresh token (rotated), ID token with tid and preferred_username', async () => {
    const c = await oauthTestClient(microsoft);
    const tokens = await c.signIn('erin@contoso.example');
    expect(tokens.idTokenClaims).toMatchObject({
      email: 'erin@contoso.example',
      preferred_username: 'erin@contoso.example',
      tid: microsoft.tenantId,
    });
    expect(tokens.scope?.split(' ')).toContain(MICROSOFT_IMAP_SCOPE);
    expect(tokens.refreshToken).toBeTruthy();
    const refreshed = await c.refresh(tokens.refreshToken!);
    expect(refreshed.refreshToken).toBeTruthy();
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    expect(await userinfo(microsoft, refreshed.accessToken)).toMatchObject({ status: 200, body: { email: 'erin@contoso.example' } });
  });

  it('device code flow: the user enters the code and consents, the client polls a token', async () => {
    microsoft.registerClient({ clientId: 'public-device-app' });
    const issuer = new URL(microsoft.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const client = { client_id: 'public-device-app' };
    const started = await oauth.processDeviceAuthorizationResponse(
      as,
      client,
      await oauth.deviceAuthorizationRequest(
        as,
        client,
        oauth.None(),
        { scope: `openid email offline_access ${MICROSOFT_IMAP_SCOPE}` },
        insecure,
      ),
    );
    expect(started.verification_uri).toBe(`${microsoft.issuer}/device`);
    expect(started.interval).toBe(DEVICE_POLL_SECONDS);
    // Before approval: authorization_pending.
    expect(
      await tokenError(
        oauth.processDeviceCodeResponse(
          as,
          client,
          await oauth.deviceCodeGrantRequest(as, client, oauth.None(), started.device_code, insecure),
        ),
      ),
    ).toBe('authorization_pending');
    await microsoft.approveDevice(started.user_code, 'erin@contoso.example');
    const tokens = await oauth.processDeviceCodeResponse(
      as,
      client,
      await oauth.deviceCodeGrantRequest(as, client, oauth.None(), started.device_code, insecure),
    );
    expect(tokens.refresh_token).toBeTruthy();
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ email: 'erin@contoso.example' });
    expect((await userinfo(microsoft, tokens.access_token)).status).toBe(200);
  });

  it('client credentials: an app-only token with the .default scope, no user in it', async () => {
    const c = await oauthTestClient(microsoft);
    const tokens = await c.clientCredentials(MICROSOFT_APP_SCOPE);
    expect(tokens.scope).toBe(MICROSOFT_APP_SCOPE);
    expect(await userinfo(microsoft, tokens.accessToken)).toMatchObject({ status: 200, body: { app_id: c.client.client_id } });
  });

  it('plays provider errors on demand: the token endpoint (expired secret) and the authorization endpoint (consent required)', async () => {
    const c = await oauthTestClient(microsoft);
    const tokens = await c.signIn('erin@contoso.example');
    microsoft.setTokenError({
      error: 'invalid_client',
      error_description: "AADSTS7000222: The provided client secret keys for app 'x' are expired.",
      status: 401,
    });
    try {
      await c.refresh(tokens.refreshToken!);
      expect.unreachable('the refresh should fail');
    } catch (err) {
      expect(err).toBeInstanceOf(oauth.ResponseBodyError);
      expect(err).toMatchObject({ error: 'invalid_client', status: 401 });
      expect((err as oauth.ResponseBodyError).error_description).toMatch(/^AADSTS7000222/);
    } finally {
      microsoft.setTokenError(null);
    }
    expect((await c.refresh(tokens.refreshToken!)).accessToken).toBeTruthy();

    microsoft.setAuthorizationError({
      error: 'consent_required',
      error_description: 'AADSTS65001: The user or administrator has not consented.',
    });
    try {
      const back = new URL(await microsoft.authorize(authorizationUrl(c, { state: 'st-1' }), { email: 'erin@contoso.example' }));
      expect(Object.fromEntries(back.searchParams)).toEqual({
        error: 'consent_required',
        error_description: 'AADSTS65001: The user or administrator has not consented.',
        state: 'st-1',
      });
    } finally {
      microsoft.setAuthorizationError(null);
    }
  });

  it('the login page refuses a wrong password and says so', async () => {
    const c = await oauthTestClient(microsoft);
    const walker = new Walker(microsoft.issuer);
    const login = await walker.go(await plainCodeRequest(c, oauth.generateRandomCodeVerifier()));
    expect(login.page?.form?.step).toBe('login');
    expect(login.page?.html).toContain('<label for="password">Password</label>');
    const refused = await walker.submit(login.page!, { email: 'erin@contoso.example', password: 'wrong' });
    expect(refused.page?.form?.step).toBe('login');
    expect(refused.page?.html).toContain('role="alert"');
    const accepted = await walker.submit(refused.page!, { email: 'erin@contoso.example', password: 'erin-pw' });
    expect(accepted.page?.form?.step).toBe('consent');
  });
});
