// Organisation-wide access against real Dovecot: Google's JWT bearer grant (domain-wide delegation) and
// Microsoft's app-only token checked through the Exchange emulation (app-mail-access.ts).
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GOOGLE_MAIL_SCOPE,
  JWT_BEARER_GRANT,
  MICROSOFT_APP_SCOPE,
  oauthTestClient,
  startAppMailAccess,
  startDovecot,
  startGoogleWithDelegation,
  startOAuthProvider,
} from './index.ts';
import type { AppMailAccess, DovecotInstance, GoogleWithDelegation, OAuthProviderInstance, ServiceAccountKeyFile } from './index.ts';
import { inboxCountWithToken } from '../support/imap.ts';

async function jwtBearer(google: GoogleWithDelegation, key: ServiceAccountKeyFile, sub: string, claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ scope: GOOGLE_MAIL_SCOPE, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.private_key_id })
    .setIssuer(key.client_email)
    .setSubject(sub)
    .setAudience(key.token_uri)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(createPrivateKey(key.private_key));
  const response = await fetch(`${google.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion, client_id: key.client_id }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('Google domain-wide delegation (JWT bearer grant)', () => {
  let google: GoogleWithDelegation;
  let dovecot: DovecotInstance;
  let key: ServiceAccountKeyFile;

  beforeAll(async () => {
    google = await startGoogleWithDelegation();
    dovecot = await startDovecot({ oauth2: { userinfoUrl: google.userinfoUrl } });
    for (const user of ['ann@acme.test', 'bob@acme.test']) {
      google.addAccount(user);
      await dovecot.addOAuthUser(user);
    }
    google.addAccount('eve@other.test');
    key = google.createServiceAccount({ domains: ['acme.test'] });
    await dovecot.append('bob@acme.test', 'INBOX', 'Subject: hi\r\n\r\nbody\r\n');
  });
  afterAll(async () => {
    await dovecot?.stop();
    await google?.stop();
  });

  it('gives a token for the user named in sub, which Dovecot accepts for that user only', async () => {
    const { status, body } = await jwtBearer(google, key, 'bob@acme.test');
    expect(status).toBe(200);
    expect(body.scope).toBe(GOOGLE_MAIL_SCOPE);
    expect(await inboxCountWithToken(dovecot, 'bob@acme.test', body.access_token)).toBe(1);
    await expect(inboxCountWithToken(dovecot, 'ann@acme.test', body.access_token)).rejects.toThrow();
  });

  it('refuses as Google does: outside the delegated domains, an unknown user, a wrong signature, no delegation', async () => {
    expect(await jwtBearer(google, key, 'eve@other.test')).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid email or User ID' },
    });
    expect(await jwtBearer(google, key, 'nobody@acme.test')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const other = google.createServiceAccount({ domains: ['acme.test'] });
    expect((await jwtBearer(google, { ...key, private_key: other.private_key }, 'ann@acme.test')).body.error).toBe('invalid_grant');
    expect((await jwtBearer(google, key, 'ann@acme.test', { scope: 'https://www.googleapis.com/auth/gmail.readonly' })).status).toBe(401);
    google.setDelegation(key.client_id, false);
    expect(await jwtBearer(google, key, 'ann@acme.test')).toMatchObject({ status: 401, body: { error: 'unauthorized_client' } });
    google.setDelegation(key.client_id, true);
  });
});

describe('Microsoft app-only token (client credentials) through the Exchange emulation', () => {
  let microsoft: OAuthProviderInstance;
  let access: AppMailAccess;
  let dovecot: DovecotInstance;
  let token: string;

  beforeAll(async () => {
    microsoft = await startOAuthProvider({ kind: 'microsoft' });
    access = await startAppMailAccess(microsoft);
    dovecot = await startDovecot({ oauth2: { userinfoUrl: access.url, usernameFormat: '%Ld', mechanisms: ['xoauth2'] } });
    for (const user of ['ann@contoso.test', 'bob@contoso.test', 'eve@fabrikam.test']) await dovecot.addOAuthUser(user);
    await dovecot.append('ann@contoso.test', 'INBOX', 'Subject: hi\r\n\r\nbody\r\n');
    const client = await oauthTestClient(microsoft, { clientId: 'org-app', clientSecret: 'app-secret' });
    token = (await client.clientCredentials(MICROSOFT_APP_SCOPE)).accessToken;
  });
  afterAll(async () => {
    await dovecot?.stop();
    await access?.stop();
    await microsoft?.stop();
  });

  it('lets the app into every mailbox of the domain it was allowed, and no other', async () => {
    await expect(inboxCountWithToken(dovecot, 'ann@contoso.test', token)).rejects.toThrow(); // not allowed yet
    access.allow('org-app', 'contoso.test');
    expect(await inboxCountWithToken(dovecot, 'ann@contoso.test', token)).toBe(1);
    expect(await inboxCountWithToken(dovecot, 'bob@contoso.test', token)).toBe(0);
    await expect(inboxCountWithToken(dovecot, 'eve@fabrikam.test', token)).rejects.toThrow();
    access.disallow('org-app');
    await expect(inboxCountWithToken(dovecot, 'bob@contoso.test', token)).rejects.toThrow();
    expect(access.checks.some((c) => c.appId === 'org-app' && c.status === 200)).toBe(true);
  });
});
