import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_MAIL_SCOPE, startGraphServer, startOAuthProvider, type OAuthProviderInstance } from '../harness/index.ts';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { waitFor } from '../support/wait.ts';

const REDIRECT = 'http://localhost:3000/oauth/callback';
const GOOGLE_SECRET = 'google-client-secret-0123456789';
const MS_SECRET = 'microsoft-client-secret-0123456789';

/** The path and query a browser would open after the provider's redirect. */
const callbackPath = (redirect: string) => {
  const url = new URL(redirect);
  expect(url.origin + url.pathname).toBe(REDIRECT);
  return `${url.pathname}${url.search}`;
};

const locationParams = (res: { headers: Record<string, unknown> }) => new URL(String(res.headers.location), 'http://x').searchParams;

describe.each(databaseKinds)('sign-in with Google and Microsoft (%s)', (kind) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let memberId: string;
  let google: OAuthProviderInstance;
  let microsoft: OAuthProviderInstance;
  const seen: string[] = []; // every token and secret the test learns, to look for in answers and logs

  const imap = { host: '127.0.0.1', port: 9, security: 'tls' as const };

  /** Starts a code flow as `client`, walks the provider's pages as `signInAs`, and lands on the callback. */
  async function signIn(
    client: Client,
    body: Record<string, unknown>,
    signInAs: string,
    opts: { consent?: 'grant' | 'deny'; provider?: OAuthProviderInstance } = {},
  ) {
    const started = await client.post('/api/v1/signin/flows', body);
    expect(started.statusCode, started.body).toBe(201);
    const provider = opts.provider ?? (body.provider === 'microsoft' ? microsoft : google);
    const back = await provider.authorize(started.data.authorizationUrl, { email: signInAs, consent: opts.consent });
    const landed = await client.get(callbackPath(back));
    expect(landed.statusCode).toBe(302);
    const flow = await client.get(`/api/v1/signin/flows/${started.data.id}`);
    return { id: started.data.id as string, landed, location: locationParams(landed), flow: flow.data, back };
  }

  beforeAll(async () => {
    [google, microsoft] = await Promise.all([startOAuthProvider({ kind: 'google' }), startOAuthProvider({ kind: 'microsoft' })]);
    for (const email of ['ann@gmail.com', 'bob@gmail.com', 'mem@gmail.com']) google.addAccount(email);
    for (const email of ['li@contoso.example', 'han@contoso.example']) microsoft.addAccount(email);
    google.registerClient({ clientId: 'tidings-google', clientSecret: GOOGLE_SECRET, redirectUris: [REDIRECT] });
    microsoft.registerClient({ clientId: 'tidings-microsoft', clientSecret: MS_SECRET, redirectUris: [REDIRECT] });
    seen.push(GOOGLE_SECRET, MS_SECRET);
    t = await createTestApp(kind, {
      signin: {
        google: { clientId: null, clientSecret: null, issuer: google.issuer },
        microsoft: { clientId: null, clientSecret: null, tenant: null, authority: microsoft.issuer },
      },
    });
    admin = await setupAdmin(t.app);
    ({ client: member, id: memberId } = await signInMember(t, admin, 'member@example.test', 'Mem Ber'));
    expect((await admin.patch('/api/v1/settings/workspace', { membersCanBindMailboxes: true })).statusCode).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([google?.stop(), microsoft?.stop()]);
  });

  it('an admin registers the sign-in apps; the secret is write-only and the redirect URI is shown', async () => {
    const before = await admin.get('/api/v1/signin-apps');
    expect(before.statusCode).toBe(200);
    expect(before.data.items.map((i: any) => [i.provider, i.configured])).toEqual([
      ['google', false],
      ['microsoft', false],
    ]);
    expect(before.data.items[0].redirectUri).toBe(REDIRECT);
    expect(before.data.items[0].guide.steps.some((s: any) => s.en.includes(REDIRECT))).toBe(true);

    expectProblem(await member.get('/api/v1/signin-apps'), 403, 'forbidden');
    expectProblem(await member.post('/api/v1/signin/flows', { provider: 'google', email: 'mem@gmail.com' }), 409, 'oauth_app_missing');

    const g = await admin.request('PUT', '/api/v1/signin-apps/google', { clientId: 'tidings-google', clientSecret: GOOGLE_SECRET });
    expect(g.statusCode, g.body).toBe(200);
    expect(g.data.item).toMatchObject({
      provider: 'google',
      configured: true,
      clientId: 'tidings-google',
      hasSecret: true,
      source: 'settings',
    });
    const m = await admin.request('PUT', '/api/v1/signin-apps/microsoft', {
      clientId: 'tidings-microsoft',
      clientSecret: MS_SECRET,
      tenant: 'organizations',
    });
    expect(m.data.item).toMatchObject({ tenant: 'organizations', hasSecret: true });
    expectProblem(
      await admin.request('PUT', '/api/v1/signin-apps/microsoft', { clientId: 'x', tenant: 'not a tenant!' }),
      400,
      'validation_failed',
    );
    expectProblem(await admin.request('PUT', '/api/v1/signin-apps/google', { clientId: 'x', tenant: 'common' }), 400, 'validation_failed');
    const stored = await t.db.db.selectFrom('secrets').select('ciphertext').execute();
    expect(stored.some((s) => s.ciphertext.includes(GOOGLE_SECRET))).toBe(false);
  });

  it('binds a Gmail mailbox: authorize → callback → signed_in → bind with the sign-in, no password', async () => {
    const s = await signIn(admin, { provider: 'google', email: 'ann@gmail.com', purpose: 'bind', method: 'code' }, 'ann@gmail.com');
    expect(s.location.get('signin')).toBe(s.id);
    expect(s.location.get('signinError')).toBeNull();
    expect(s.flow).toMatchObject({
      status: 'signed_in',
      expectedEmail: 'ann@gmail.com',
      signedInEmail: 'ann@gmail.com',
      addressMatches: true,
      error: null,
    });

    // The authorization request carried PKCE, state, nonce, offline access and the mail scope.
    const started = await admin.post('/api/v1/signin/flows', { provider: 'google', email: 'ann@gmail.com' });
    const url = new URL(started.data.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('scope')).toBe('openid email https://mail.google.com/');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();

    // The connection test gets an access token first; the IMAP stage then runs with it.
    const tested = await admin.post('/api/v1/mailboxes/test', {
      email: 'ann@gmail.com',
      providerId: 'gmail',
      imap,
      smtp: null,
      authKind: 'oauth2',
      signinId: s.id,
    });
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.data.imap.stages[0]).toMatchObject({ stage: 'token', ok: true });
    expect(tested.data.imap.stages[1]?.stage).toBe('connect');

    expectProblem(
      await admin.post('/api/v1/mailboxes', { email: 'ann@gmail.com', imap, authKind: 'oauth2', signinId: s.id, password: 'x' }),
      400,
      'validation_failed',
    );
    expectProblem(await admin.post('/api/v1/mailboxes', { email: 'ann@gmail.com', imap, authKind: 'oauth2' }), 400, 'validation_failed');
    const bound = await admin.post('/api/v1/mailboxes', {
      email: 'ann@gmail.com',
      providerId: 'gmail',
      imap,
      smtp: null,
      authKind: 'oauth2',
      signinId: s.id,
      force: true,
    });
    expect(bound.statusCode, bound.body).toBe(201);
    expect(bound.data.mailbox).toMatchObject({ authKind: 'oauth2', email: 'ann@gmail.com' });
    const mailboxId = bound.data.mailbox.id as string;
    expect((await admin.get(`/api/v1/signin/flows/${s.id}`)).data).toMatchObject({ status: 'used', mailboxId });

    // A used sign-in binds nothing else.
    expectProblem(
      await admin.post('/api/v1/mailboxes', {
        email: 'ann@gmail.com',
        imap,
        authKind: 'oauth2',
        signinId: s.id,
        force: true,
        ownerUserId: memberId,
      }),
      409,
      'oauth_flow_unusable',
    );

    // The access token is good at the provider (as Dovecot will check it), and is refreshed on demand.
    const row = await t.db.db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow();
    const first = await t.services.accessTokens.accessTokenFor(row);
    const check = await fetch(google.userinfoUrl, { headers: { authorization: `Bearer ${first}` } });
    expect(check.status).toBe(200);
    expect(((await check.json()) as { email: string }).email).toBe('ann@gmail.com');
    // Many callers at once while it must be refreshed: one refresh, one new token for all.
    const many = await Promise.all(
      Array.from({ length: 5 }, () => t.services.accessTokens.accessTokenFor(row, { minValiditySeconds: 10 * 3600 })),
    );
    expect(new Set(many).size).toBe(1);
    expect(many[0]).not.toBe(first);
    seen.push(first, many[0]!);
    const grant = await t.db.db.selectFrom('signin_grants').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirstOrThrow();
    expect(grant.refresh_lock_holder).toBeNull();
    seen.push(await t.services.vault.reveal(grant.refresh_secret_id!));
  });

  it('a revoked grant puts the mailbox in needs attention; Sign in again replaces the grant and reactivates it', async () => {
    const mailbox = await t.db.db.selectFrom('mailboxes').selectAll().where('email', '=', 'ann@gmail.com').executeTakeFirstOrThrow();
    await google.revoke('ann@gmail.com');
    await expect(t.services.accessTokens.accessTokenFor(mailbox, { minValiditySeconds: 10 * 3600 })).rejects.toMatchObject({
      code: 'oauth_revoked',
    });
    const retest = await admin.post(`/api/v1/mailboxes/${mailbox.id}/test`);
    expect(retest.data.imap.failure).toMatchObject({ code: 'oauth_revoked', stage: 'token' });
    expect(retest.data.imap.failure.fix['zh-CN']).toContain('重新登录');
    const attention = await admin.get(`/api/v1/mailboxes/${mailbox.id}`);
    expect(attention.data.mailbox.status).toBe('needs_attention');
    const oldGrant = await t.db.db.selectFrom('signin_grants').selectAll().where('mailbox_id', '=', mailbox.id).executeTakeFirstOrThrow();

    const again = await signIn(admin, { provider: 'google', purpose: 'reauth', mailboxId: mailbox.id }, 'ann@gmail.com');
    expect(again.flow).toMatchObject({ status: 'used', purpose: 'reauth', mailboxId: mailbox.id, addressMatches: true });
    const after = await admin.get(`/api/v1/mailboxes/${mailbox.id}`);
    expect(after.data.mailbox.status).toBe('active');
    const newGrant = await t.db.db.selectFrom('signin_grants').selectAll().where('mailbox_id', '=', mailbox.id).executeTakeFirstOrThrow();
    expect(newGrant.id).not.toBe(oldGrant.id);
    // The old grant's tokens left the vault with it.
    expect(
      await t.db.db.selectFrom('secrets').select('id').where('id', '=', oldGrant.refresh_secret_id).executeTakeFirst(),
    ).toBeUndefined();
    const token = await t.services.accessTokens.accessTokenFor(after.data.mailbox ? mailbox : mailbox);
    expect((await fetch(google.userinfoUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    seen.push(token);
  });

  it('a sign-in goes only to the server it was given for: a new server or user name needs a new sign-in', async () => {
    const mailbox = await t.db.db.selectFrom('mailboxes').selectAll().where('email', '=', 'ann@gmail.com').executeTakeFirstOrThrow();
    const moved = await admin.patch(`/api/v1/mailboxes/${mailbox.id}`, {
      imap: { host: '127.0.0.2', port: 993, security: 'tls' },
      force: true,
    });
    expectProblem(moved, 422, 'secret_required_for_new_destination');
    expect(moved.data.signInAgain).toBe(true);
    expectProblem(
      await admin.patch(`/api/v1/mailboxes/${mailbox.id}`, { username: 'other@gmail.com', force: true }),
      422,
      'secret_required_for_new_destination',
    );
    const s = await signIn(admin, { provider: 'google', purpose: 'bind', email: 'ann@gmail.com' }, 'ann@gmail.com');
    const withSignin = await admin.patch(`/api/v1/mailboxes/${mailbox.id}`, {
      imap: { host: '127.0.0.2', port: 993, security: 'tls' },
      signinId: s.id,
      force: true,
    });
    expect(withSignin.statusCode, withSignin.body).toBe(200);
    expect(withSignin.data.mailbox.imap.host).toBe('127.0.0.2');
    const grant = await t.db.db.selectFrom('signin_grants').selectAll().where('mailbox_id', '=', mailbox.id).executeTakeFirstOrThrow();
    expect((await admin.get(`/api/v1/signin/flows/${s.id}`)).data.status).toBe('used');
    expect(grant.revoked_at).toBeNull();
  });

  it('a password mailbox moves to a sign-in (with the mailbox settings, or Sign in again); its password leaves the vault', async () => {
    const passwordSecret = async (id: string) =>
      (await t.db.db.selectFrom('mailboxes').select('secret_id').where('id', '=', id).executeTakeFirstOrThrow()).secret_id;
    for (const email of ['pat@gmail.com', 'ray@gmail.com']) google.addAccount(email);
    const bindWithPassword = async (email: string) => {
      const res = await admin.post('/api/v1/mailboxes', { email, providerId: 'gmail', imap, smtp: null, password: 'pw-0123', force: true });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.data.mailbox.id as string;
      const secretId = await passwordSecret(id);
      expect(secretId).toBeTruthy();
      return { id, secretId: secretId! };
    };
    const expectSignedIn = async (m: { id: string; secretId: string }) => {
      const row = await t.db.db.selectFrom('mailboxes').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ auth_kind: 'oauth2', secret_id: null });
      expect(await t.db.db.selectFrom('secrets').select('id').where('id', '=', m.secretId).executeTakeFirst()).toBeUndefined();
      expect(await t.db.db.selectFrom('signin_grants').select('id').where('mailbox_id', '=', m.id).executeTakeFirst()).toBeDefined();
    };

    const pat = await bindWithPassword('pat@gmail.com');
    const s = await signIn(admin, { provider: 'google', purpose: 'bind', email: 'pat@gmail.com' }, 'pat@gmail.com');
    const switched = await admin.patch(`/api/v1/mailboxes/${pat.id}`, { signinId: s.id, force: true });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(switched.data.mailbox.authKind).toBe('oauth2');
    await expectSignedIn(pat);

    const ray = await bindWithPassword('ray@gmail.com');
    const again = await signIn(admin, { provider: 'google', purpose: 'reauth', mailboxId: ray.id }, 'ray@gmail.com');
    expect(again.flow).toMatchObject({ status: 'used', purpose: 'reauth', mailboxId: ray.id });
    await expectSignedIn(ray);
  });

  it('binds a Microsoft 365 mailbox with the device code; refresh tokens rotate', async () => {
    expectProblem(
      await admin.post('/api/v1/signin/flows', { provider: 'google', email: 'bob@gmail.com', method: 'device' }),
      422,
      'oauth_device_unsupported',
    );
    const started = await admin.post('/api/v1/signin/flows', { provider: 'microsoft', email: 'li@contoso.example', method: 'device' });
    expect(started.statusCode, started.body).toBe(201);
    expect(started.data.device.verificationUri).toBe(`${microsoft.issuer}/device`);
    const pending = await admin.get(`/api/v1/signin/flows/${started.data.id}`);
    expect(pending.data.status).toBe('pending');
    await microsoft.approveDevice(started.data.device.userCode, 'li@contoso.example');
    const done = await waitFor(
      'device flow signed in',
      async () => {
        const f = await admin.get(`/api/v1/signin/flows/${started.data.id}`);
        if (f.data.status === 'pending') throw new Error('still pending');
        return f.data;
      },
      30_000,
      500,
    );
    expect(done).toMatchObject({ status: 'signed_in', signedInEmail: 'li@contoso.example', addressMatches: true });
    const bound = await admin.post('/api/v1/mailboxes', {
      email: 'li@contoso.example',
      providerId: 'custom',
      imap,
      authKind: 'oauth2',
      signinId: started.data.id,
      force: true,
    });
    expect(bound.statusCode, bound.body).toBe(201);
    const row = await t.db.db.selectFrom('mailboxes').selectAll().where('id', '=', bound.data.mailbox.id).executeTakeFirstOrThrow();
    const grant = await t.db.db.selectFrom('signin_grants').selectAll().where('mailbox_id', '=', row.id).executeTakeFirstOrThrow();
    const rt1 = await t.services.vault.reveal(grant.refresh_secret_id!);
    const a = await t.services.accessTokens.accessTokenFor(row, { minValiditySeconds: 10 * 3600 });
    const rt2 = await t.services.vault.reveal(grant.refresh_secret_id!);
    expect(rt2).not.toBe(rt1);
    const b = await t.services.accessTokens.accessTokenFor(row, { minValiditySeconds: 10 * 3600 });
    expect(b).not.toBe(a);
    seen.push(rt1, rt2, a, b);
  });

  it('a Graph sign-in asks Microsoft for Graph mail permissions, and its refreshes give tokens Graph accepts', async () => {
    expectProblem(
      await admin.post('/api/v1/signin/flows', { provider: 'google', email: 'bob@gmail.com', access: 'graph' }),
      409,
      'oauth_flow_unusable',
    );
    const started = await admin.post('/api/v1/signin/flows', { provider: 'microsoft', email: 'han@contoso.example', access: 'graph' });
    expect(started.statusCode, started.body).toBe(201);
    const asked = new URL(started.data.authorizationUrl).searchParams.get('scope')!.split(' ');
    expect(asked).toEqual(expect.arrayContaining([GRAPH_MAIL_SCOPE, 'https://graph.microsoft.com/Mail.Send', 'offline_access']));
    expect(asked.some((s) => s.startsWith('https://outlook.office.com/'))).toBe(false);
    const back = await microsoft.authorize(started.data.authorizationUrl, { email: 'han@contoso.example' });
    expect((await admin.get(callbackPath(back))).statusCode).toBe(302);
    expect((await admin.get(`/api/v1/signin/flows/${started.data.id}`)).data.status).toBe('signed_in');
    const bound = await admin.post('/api/v1/mailboxes', {
      protocol: 'graph',
      email: 'han@contoso.example',
      providerId: 'microsoft365',
      authKind: 'oauth2',
      signinId: started.data.id,
      force: true,
    });
    expect(bound.statusCode, bound.body).toBe(201);
    const row = await t.db.db.selectFrom('mailboxes').selectAll().where('id', '=', bound.data.mailbox.id).executeTakeFirstOrThrow();
    const grant = await t.db.db.selectFrom('signin_grants').selectAll().where('mailbox_id', '=', row.id).executeTakeFirstOrThrow();
    expect(grant.scope.split(' ')).toContain(GRAPH_MAIL_SCOPE);
    const refreshed = await t.services.accessTokens.accessTokenFor(row, { minValiditySeconds: 10 * 3600 });
    seen.push(refreshed);
    const graph = await startGraphServer({ userinfoUrl: microsoft.userinfoUrl });
    try {
      graph.addMailbox('han@contoso.example');
      const { Agent, request } = await import('undici');
      const dispatcher = new Agent({ connect: { ca: graph.caPem } });
      const res = await request(`${graph.baseUrl}/me/mailFolders`, { dispatcher, headers: { authorization: `Bearer ${refreshed}` } });
      expect(res.statusCode, await res.body.text()).toBe(200);
      await dispatcher.close();
    } finally {
      await graph.stop();
    }
  });

  it("refuses a forged or replayed state, and a callback for another user's flow", async () => {
    const forged = await admin.get('/oauth/callback?code=abc&state=forged-state');
    expect(forged.statusCode).toBe(302);
    expect(locationParams(forged).get('signinError')).toBe('oauth_state_invalid');
    expect(locationParams(forged).get('signin')).toBeNull();

    // The member's flow, completed in the admin's browser: refused, and the member's flow is untouched.
    const started = await member.post('/api/v1/signin/flows', { provider: 'google', email: 'mem@gmail.com' });
    expect(started.statusCode, started.body).toBe(201);
    const back = await google.authorize(started.data.authorizationUrl, { email: 'mem@gmail.com' });
    const wrongUser = await admin.get(callbackPath(back));
    expect(locationParams(wrongUser).get('signinError')).toBe('oauth_state_invalid');
    expect(locationParams(wrongUser).get('signin')).toBeNull();
    expectProblem(await admin.get(`/api/v1/signin/flows/${started.data.id}`), 404, 'oauth_flow_not_found');
    expect((await member.get(`/api/v1/signin/flows/${started.data.id}`)).data.status).toBe('pending');
    // ... and no browser without a Tidings session completes it either.
    const anonymous = await t.app.inject({ method: 'GET', url: callbackPath(back) });
    expect(new URL(String(anonymous.headers.location), 'http://x').searchParams.get('signinError')).toBe('oauth_state_invalid');

    const ok = await member.get(callbackPath(back));
    expect(locationParams(ok).get('signinError')).toBeNull();
    expect((await member.get(`/api/v1/signin/flows/${started.data.id}`)).data.status).toBe('signed_in');
    const replay = await member.get(callbackPath(back));
    expect(locationParams(replay).get('signinError')).toBe('oauth_state_invalid');
    expect((await member.get(`/api/v1/signin/flows/${started.data.id}`)).data.status).toBe('signed_in');
    // Another user cannot bind with the member's sign-in.
    expectProblem(
      await admin.post('/api/v1/mailboxes', { email: 'mem@gmail.com', imap, authKind: 'oauth2', signinId: started.data.id, force: true }),
      404,
      'oauth_flow_not_found',
    );
  });

  it('refuses an ID token with another nonce', async () => {
    const started = await admin.post('/api/v1/signin/flows', { provider: 'google', email: 'bob@gmail.com' });
    const url = new URL(started.data.authorizationUrl);
    url.searchParams.set('nonce', 'a-nonce-of-someone-else');
    const back = await google.authorize(url.href, { email: 'bob@gmail.com' });
    const landed = await admin.get(callbackPath(back));
    expect(locationParams(landed).get('signinError')).toBe('oauth_nonce_invalid');
    const flow = await admin.get(`/api/v1/signin/flows/${started.data.id}`);
    expect(flow.data).toMatchObject({ status: 'failed', error: { code: 'oauth_nonce_invalid' }, signedInEmail: null });
  });

  it('an ID token for another address binds nothing unless an admin confirms the difference', async () => {
    const s = await signIn(member, { provider: 'google', email: 'mem@gmail.com' }, 'bob@gmail.com');
    expect(s.flow).toMatchObject({
      status: 'signed_in',
      expectedEmail: 'mem@gmail.com',
      signedInEmail: 'bob@gmail.com',
      addressMatches: false,
    });
    const body = { email: 'mem@gmail.com', imap, authKind: 'oauth2', signinId: s.id };
    expectProblem(await member.post('/api/v1/mailboxes/test', body), 409, 'oauth_address_mismatch');
    expectProblem(await member.post('/api/v1/mailboxes', body), 409, 'oauth_address_mismatch');
    expectProblem(await member.post('/api/v1/mailboxes', { ...body, confirmAddressMismatch: true }), 409, 'oauth_address_mismatch');
    expect(await t.db.db.selectFrom('mailboxes').select('id').where('email', '=', 'mem@gmail.com').executeTakeFirst()).toBeUndefined();
  });

  it('reports a refused consent and a wrong client secret as flow errors, binding nothing', async () => {
    const denied = await signIn(admin, { provider: 'google', email: 'bob@gmail.com' }, 'bob@gmail.com', { consent: 'deny' });
    expect(denied.location.get('signinError')).toBe('oauth_consent_refused');
    expect(denied.flow).toMatchObject({ status: 'failed', error: { code: 'oauth_consent_refused' } });

    await admin.request('PUT', '/api/v1/signin-apps/google', { clientId: 'tidings-google', clientSecret: 'not-the-secret' });
    const wrong = await signIn(admin, { provider: 'google', email: 'bob@gmail.com' }, 'bob@gmail.com');
    expect(wrong.flow).toMatchObject({ status: 'failed', error: { code: 'oauth_client_invalid' } });
    expectProblem(
      await admin.post('/api/v1/mailboxes', { email: 'bob@gmail.com', imap, authKind: 'oauth2', signinId: wrong.id, force: true }),
      409,
      'oauth_flow_unusable',
    );
    await admin.request('PUT', '/api/v1/signin-apps/google', { clientId: 'tidings-google', clientSecret: GOOGLE_SECRET });
  });

  it('an invitation lets the named owner sign in for their own mailbox, nobody else', async () => {
    // Members may not bind their own mailboxes here: the invitation is the admin's permission.
    await admin.patch('/api/v1/settings/workspace', { membersCanBindMailboxes: false });
    expectProblem(await member.post('/api/v1/signin/flows', { provider: 'google', email: 'mem@gmail.com' }), 403, 'binding_not_allowed');
    const inv = await admin.post('/api/v1/signin/invitations', { ownerUserId: memberId, email: 'mem@gmail.com', provider: 'google' });
    expect(inv.statusCode, inv.body).toBe(201);
    expect(inv.data.url).toBe(`http://localhost:3000/settings/mailboxes?invitation=${inv.data.id}`);
    expectProblem(
      await member.post('/api/v1/signin/invitations', { ownerUserId: memberId, email: 'x@gmail.com', provider: 'google' }),
      403,
      'forbidden',
    );
    expect((await member.get(`/api/v1/signin/invitations/${inv.data.id}`)).data).toMatchObject({ email: 'mem@gmail.com', usedAt: null });
    expectProblem(await admin.post('/api/v1/signin/flows', { provider: 'google', invitationId: inv.data.id }), 404, 'not_found');
    const s = await signIn(member, { provider: 'google', invitationId: inv.data.id }, 'mem@gmail.com');
    expect(s.flow).toMatchObject({ status: 'signed_in', invitationId: inv.data.id, expectedEmail: 'mem@gmail.com', addressMatches: true });
  });

  it('never puts a token or client secret in an answer or a log line', async () => {
    const answers = [await admin.get('/api/v1/signin-apps'), await admin.get('/api/v1/mailboxes'), await admin.get('/api/v1/audit')];
    const text = answers.map((a) => a.body).join('\n') + t.logs.join('\n');
    expect(seen.length).toBeGreaterThan(6);
    for (const secret of seen) expect(text).not.toContain(secret);
  });
});
