import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EwsServerInstance,
  type GraphServerInstance,
  type OAuthProviderInstance,
  sharedTestCaFile,
  startEwsServer,
  startGraphServer,
  startOAuthProvider,
} from '../harness/index.ts';
import { expectProblem } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { rawMessage } from '../support/corpus.ts';
import { insertMailbox } from '../support/rows.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const SIGNIN_ID = '5d0c7f6e-3c1f-4f4e-9b57-1f2f0b9f8a11';
const IMAP = { host: 'mail.example.com', port: 993, security: 'tls' };
const SMTP = { host: 'mail.example.com', port: 587, security: 'starttls' };

/** Requests no Graph or EWS server could make sense of: refused before anything connects, each with its own code. */
describe('binding Exchange and Microsoft 365 mailboxes: impossible combinations', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  const refused: Array<[string, Record<string, unknown>, number, string]> = [
    ['Graph without a sign-in', { protocol: 'graph', email: 'a@contoso.com', password: 'x' }, 400, 'graph_signin_required'],
    ['Graph with a password kind', { protocol: 'graph', email: 'a@contoso.com', signinId: SIGNIN_ID }, 400, 'graph_signin_required'],
    [
      'Graph with IMAP servers',
      { protocol: 'graph', email: 'a@contoso.com', authKind: 'oauth2', signinId: SIGNIN_ID, imap: IMAP },
      400,
      'protocol_field_not_used',
    ],
    [
      'Graph with a test message (sending comes later)',
      { protocol: 'graph', email: 'a@contoso.com', authKind: 'oauth2', signinId: SIGNIN_ID, sendTestMessage: true },
      400,
      'protocol_field_not_used',
    ],
    [
      'EWS with OAuth',
      { protocol: 'ews', email: 'a@contoso.com', authKind: 'oauth2', signinId: SIGNIN_ID, ews: { url: null } },
      400,
      'ews_oauth_not_supported',
    ],
    [
      'EWS with an SMTP server',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: null }, smtp: SMTP },
      400,
      'protocol_field_not_used',
    ],
    [
      'EWS with IMAP servers',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: null }, imap: IMAP },
      400,
      'protocol_field_not_used',
    ],
    ['IMAP without its server', { email: 'a@contoso.com', password: 'x' }, 400, 'imap_server_required'],
    ['IMAP with EWS settings', { email: 'a@contoso.com', password: 'x', imap: IMAP, ews: { url: null } }, 400, 'protocol_field_not_used'],
    ['EWS without a password', { protocol: 'ews', email: 'a@contoso.com', ews: { url: null } }, 400, 'validation_failed'],
    [
      'an EWS address that is not http(s)',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: 'ftp://mail.contoso.com/EWS/Exchange.asmx' } },
      400,
      'validation_failed',
    ],
    [
      'an EWS address with a password in it',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: 'https://u:p@mail.contoso.com/EWS/Exchange.asmx' } },
      400,
      'validation_failed',
    ],
    ['an unknown protocol', { protocol: 'pop3', email: 'a@contoso.com', password: 'x', imap: IMAP }, 400, 'validation_failed'],
  ];

  it.each(refused)('refuses %s, on the test and on the bind', async (_what, body, status, code) => {
    const test = await admin.post('/api/v1/mailboxes/test', body);
    expectProblem(test, status, code);
    expect(test.data.detail).toBeTruthy();
    const bind = await admin.post('/api/v1/mailboxes', body);
    expectProblem(bind, status, code);
  });

  it('names the field a protocol has no use for', async () => {
    const res = await admin.post('/api/v1/mailboxes/test', { protocol: 'ews', email: 'a@contoso.com', password: 'x', smtp: SMTP });
    expectProblem(res, 400, 'protocol_field_not_used');
    expect(res.data).toMatchObject({ protocol: 'ews', field: 'smtp' });
  });

  it('refuses settings of another protocol when changing a bound Graph or EWS mailbox', async () => {
    const ownerId = (await admin.get('/api/v1/me')).data.user.id as string;
    const ews = await insertMailbox(t.db.db, ownerId, 'ews@contoso.com');
    const graph = await insertMailbox(t.db.db, ownerId, 'graph@contoso.com');
    await t.db.db
      .updateTable('mailboxes')
      .set({ protocol: 'ews', api_url: 'https://mail.contoso.com/EWS/Exchange.asmx' })
      .where('id', '=', ews)
      .execute();
    await t.db.db
      .updateTable('mailboxes')
      .set({ protocol: 'graph', api_url: 'https://graph.microsoft.com/v1.0', auth_kind: 'oauth2' })
      .where('id', '=', graph)
      .execute();

    expectProblem(await admin.patch(`/api/v1/mailboxes/${ews}`, { imap: IMAP }), 400, 'protocol_field_not_used');
    expectProblem(await admin.patch(`/api/v1/mailboxes/${ews}`, { signinId: SIGNIN_ID }), 400, 'ews_oauth_not_supported');
    expectProblem(await admin.patch(`/api/v1/mailboxes/${graph}`, { ews: { url: null } }), 400, 'protocol_field_not_used');
    expectProblem(await admin.patch(`/api/v1/mailboxes/${graph}`, { password: 'x' }), 400, 'protocol_field_not_used');
    // A new EWS address is a new destination: the stored password is not sent there unasked.
    expectProblem(
      await admin.patch(`/api/v1/mailboxes/${ews}`, { ews: { url: 'https://elsewhere.example/EWS/Exchange.asmx' } }),
      422,
      'secret_required_for_new_destination',
    );

    const shown = await admin.get(`/api/v1/mailboxes/${ews}`);
    expect(shown.data.mailbox).toMatchObject({ protocol: 'ews', apiUrl: 'https://mail.contoso.com/EWS/Exchange.asmx' });
    const listed = await admin.get('/api/v1/mailboxes');
    expect(listed.data.items.find((m: { id: string }) => m.id === graph)).toMatchObject({ protocol: 'graph' });
  });

  it('offers Graph for Microsoft 365 and EWS for Exchange Server in the catalogue, IMAP as the alternative', async () => {
    const res = await admin.get('/api/v1/providers');
    const byId = (id: string) => res.data.items.find((p: { id: string }) => p.id === id);
    expect(byId('microsoft365').protocols).toEqual(['graph', 'imap']);
    expect(byId('exchange').protocols).toEqual(['ews', 'imap']);
    expect(byId('gmail').protocols).toEqual(['imap']);
  });
});

const MS_CLIENT = { clientId: 'm365', clientSecret: 'm365-secret-123456' };
const REDIRECT = 'http://localhost:3000/oauth/callback';
const hasHan = (text: string) => /\p{Script=Han}/u.test(text);

/** A failed report explains itself in both languages. */
function expectExplained(report: { failure: { code: string; message: LocalText; fix: LocalText } | null }, code: string) {
  expect(report.failure?.code, JSON.stringify(report.failure)).toBe(code);
  expect(report.failure?.fix.en).toBeTruthy();
  expect(hasHan(report.failure?.fix['zh-CN'] ?? '')).toBe(true);
  expect(hasHan(report.failure?.message['zh-CN'] ?? '')).toBe(true);
}

interface LocalText {
  en: string;
  'zh-CN': string;
}

describe('binding a Microsoft 365 mailbox over Microsoft Graph against the harness', () => {
  let env: SyncEnv;
  let admin: Client;
  let microsoft: OAuthProviderInstance;
  let graph: GraphServerInstance;
  const user = 'li@contoso.example';

  async function signIn(email: string, access: 'graph' | 'imap' = 'graph'): Promise<string> {
    const started = await admin.post('/api/v1/signin/flows', { provider: 'microsoft', email, access });
    expect(started.statusCode, started.body).toBe(201);
    const back = new URL(await microsoft.authorize(started.data.authorizationUrl, { email }));
    const landed = await admin.get(`${back.pathname}${back.search}`);
    expect(new URL(String(landed.headers.location), 'http://x').searchParams.get('signinError')).toBeNull();
    return started.data.id;
  }

  beforeAll(async () => {
    microsoft = await startOAuthProvider({ kind: 'microsoft' });
    graph = await startGraphServer({ userinfoUrl: microsoft.userinfoUrl });
    microsoft.registerClient({ ...MS_CLIENT, redirectUris: [REDIRECT] });
    env = await startSyncEnv('pglite', {
      config: {
        graphUrl: graph.baseUrl,
        extraCaFile: await sharedTestCaFile(),
        signin: {
          google: { clientId: null, clientSecret: null, issuer: microsoft.issuer },
          microsoft: { ...MS_CLIENT, tenant: 'organizations', authority: microsoft.issuer },
        },
      },
    });
    admin = env.admin;
  });
  afterAll(async () => {
    await env?.close();
    await Promise.all([graph?.stop(), microsoft?.stop()]);
  });

  it('tests, binds and imports: the mailbox stores protocol graph, the Graph URL and its server', async () => {
    microsoft.addAccount(user);
    graph.addMailbox(user);
    for (let i = 0; i < 3; i++) graph.deliver(user, 'inbox', rawMessage('graph', i));
    const settings = { protocol: 'graph', email: user, providerId: 'microsoft365', authKind: 'oauth2', signinId: await signIn(user) };

    const tested = await admin.post('/api/v1/mailboxes/test', settings);
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.data.ok, JSON.stringify(tested.data.imap.failure)).toBe(true);
    expect(tested.data.imap).toMatchObject({ protocol: 'graph', url: graph.baseUrl });
    expect(tested.data.imap.stages.map((s: { stage: string }) => s.stage)).toEqual(
      expect.arrayContaining(['token', 'tls', 'auth', 'list']),
    );
    expect(tested.data.smtp).toBeNull();

    const bound = await admin.post('/api/v1/mailboxes', { ...settings, backfill: 'all' });
    expect(bound.statusCode, bound.body).toBe(201);
    expect(bound.data.mailbox).toMatchObject({
      protocol: 'graph',
      apiUrl: graph.baseUrl,
      authKind: 'oauth2',
      status: 'active',
      imap: { host: '127.0.0.1', port: graph.port, security: 'tls' },
      smtp: null,
    });
    const mailboxId = bound.data.mailbox.id as string;
    env.supervisor().start();
    await waitFor('the first import over Graph', async () => expect(await countMessages(env, mailboxId)).toBe(3));
  });

  it('refuses a sign-in made for IMAP access for a Graph mailbox, before any connection test', async () => {
    const other = 'wu@contoso.example';
    microsoft.addAccount(other);
    graph.addMailbox(other);
    const settings = {
      protocol: 'graph',
      email: other,
      providerId: 'microsoft365',
      authKind: 'oauth2',
      signinId: await signIn(other, 'imap'),
    };
    for (const path of ['/api/v1/mailboxes/test', '/api/v1/mailboxes']) {
      const refused = await admin.post(path, settings);
      expectProblem(refused, 409, 'oauth_flow_unusable');
      expect(refused.data.detail).toMatch(/IMAP access.*Microsoft Graph/);
      expect(refused.data.test).toBeUndefined(); // refused before a connection test ran
    }
  });

  it('answers an account without Exchange Online with graph_mailbox_not_enabled and its fix', async () => {
    const other = 'han@contoso.example';
    microsoft.addAccount(other);
    graph.addMailbox(other);
    graph.setRestDisabled(other, true);
    const settings = { protocol: 'graph', email: other, providerId: 'microsoft365', authKind: 'oauth2', signinId: await signIn(other) };
    const tested = await admin.post('/api/v1/mailboxes/test', settings);
    expect(tested.data.ok).toBe(false);
    expectExplained(tested.data.imap, 'graph_mailbox_not_enabled');
    const refused = await admin.post('/api/v1/mailboxes', settings);
    expectProblem(refused, 422, 'connection_test_failed');
    expect(refused.data.test.imap.failure.code).toBe('graph_mailbox_not_enabled');
  });
});

describe('binding an Exchange Server mailbox over EWS against the harness', () => {
  let env: SyncEnv;
  let admin: Client;
  let ews: EwsServerInstance;
  const user = 'ann@fabrikam.example';
  const login = 'FABRIKAM\\ann';
  const password = 'Exchange-Pa55word!';
  const settings = () => ({ protocol: 'ews', email: user, providerId: 'exchange', username: login, password, ews: { url: ews.url } });

  beforeAll(async () => {
    ews = await startEwsServer();
    ews.addUser({ email: user, username: login, password });
    // No company CA: the EWS server's certificate is one an admin trusts by its fingerprint.
    env = await startSyncEnv('pglite');
    admin = env.admin;
  });
  afterAll(async () => {
    await env?.close();
    await ews?.stop();
  });

  it('offers the untrusted certificate, then tests, binds (pinned) and imports with the trusted fingerprint', async () => {
    for (let i = 0; i < 3; i++) ews.deliver(user, 'inbox', rawMessage('ews', i));
    const untrusted = await admin.post('/api/v1/mailboxes/test', settings());
    expect(untrusted.data.ok).toBe(false);
    expect(untrusted.data.imap.protocol).toBe('ews');
    expectExplained(untrusted.data.imap, 'tls_untrusted_certificate');
    expect(untrusted.data.imap.failure.certificate.fingerprint256).toBe(ews.fingerprint256);

    const trusted = { ...settings(), trustedCertificates: { imap: ews.fingerprint256 } };
    const tested = await admin.post('/api/v1/mailboxes/test', trusted);
    expect(tested.data.ok, JSON.stringify(tested.data.imap.failure)).toBe(true);
    expect(tested.data.imap).toMatchObject({ protocol: 'ews', url: ews.url });

    // backfill 'all': the corpus messages are dated long ago.
    const bound = await admin.post('/api/v1/mailboxes', { ...trusted, backfill: 'all' });
    expect(bound.statusCode, bound.body).toBe(201);
    expect(bound.data.mailbox).toMatchObject({
      protocol: 'ews',
      apiUrl: ews.url,
      username: login,
      authKind: 'password',
      status: 'active',
      imap: { host: '127.0.0.1', port: ews.port, security: 'tls', trustedCertificate: ews.fingerprint256 },
      smtp: null,
    });
    expect(JSON.stringify(bound.data)).not.toContain(password);
    const mailboxId = bound.data.mailbox.id as string;
    env.supervisor().start();
    await waitFor('the first import over EWS', async () =>
      expect(await countMessages(env, mailboxId), JSON.stringify((await admin.get(`/api/v1/mailboxes/${mailboxId}`)).data.mailbox)).toBe(3),
    );

    const retest = await admin.post(`/api/v1/mailboxes/${mailboxId}/test`);
    expect(retest.data.ok, JSON.stringify(retest.data.imap.failure)).toBe(true);
  });

  it('finds the EWS address by Autodiscover when none is typed, and stores the one found', async () => {
    const other = 'bo@fabrikam.example';
    ews.addUser({ email: other, username: 'FABRIKAM\\bo', password });
    env.services.ewsAutodiscoverUrls = [`${ews.origin}/autodiscover/autodiscover.xml`];
    // Autodiscover's own host is trusted by the system (a public certificate in real life), not pinned.
    env.services.extraCaPems = [ews.caPem];
    try {
      const found = {
        ...settings(),
        email: other,
        username: 'FABRIKAM\\bo',
        ews: { url: null },
      };
      const tested = await admin.post('/api/v1/mailboxes/test', found);
      expect(tested.data.ok, JSON.stringify(tested.data.imap.failure)).toBe(true);
      expect(tested.data.imap.stages[0].stage).toBe('autodiscover');
      expect(tested.data.imap.url).toBe(ews.url);
      const bound = await admin.post('/api/v1/mailboxes', found);
      expect(bound.statusCode, bound.body).toBe(201);
      expect(bound.data.mailbox).toMatchObject({ protocol: 'ews', apiUrl: ews.url, imap: { host: '127.0.0.1', port: ews.port } });

      ews.setAutodiscover('not_found');
      const missing = await admin.post('/api/v1/mailboxes/test', { ...found, email: 'cy@fabrikam.example' });
      expectExplained(missing.data.imap, 'autodiscover_not_found');
      // An admin's forced save has no address to store: refused with its own code.
      const forced = await admin.post('/api/v1/mailboxes', { ...found, email: 'cy@fabrikam.example', force: true });
      expectProblem(forced, 422, 'ews_url_unknown');
    } finally {
      ews.setAutodiscover('ok');
      env.services.ewsAutodiscoverUrls = undefined;
      env.services.extraCaPems = [];
    }
  });

  it.each([
    ['a wrong password', () => ({ password: 'not the password' }), null, ['auth_failed', 'ntlm_refused']],
    ['EWS switched off for the user', () => ({}), () => ews.setUserState(user, { ewsDisabled: true }), ['ews_disabled']],
    ['an account not allowed the mailbox', () => ({}), () => ews.setUserState(user, { accessDenied: true }), ['access_denied']],
    ['a mailbox being moved', () => ({}), () => ews.setUserState(user, { moveInProgress: true }), ['mailbox_move_in_progress']],
    ['a server that allows only Kerberos', () => ({}), () => ews.setAuth({ schemes: ['Negotiate'], kerberosOnly: true }), ['ntlm_refused']],
  ] as const)('reaches the API answer with its code and fix: %s', async (_what, change, arrange, codes) => {
    ews.setUserState(user, {});
    ews.setAuth({ schemes: ['NTLM', 'Negotiate'] });
    arrange?.();
    try {
      const tested = await admin.post('/api/v1/mailboxes/test', {
        ...settings(),
        ...change(),
        trustedCertificates: { imap: ews.fingerprint256 },
      });
      expect(tested.data.ok).toBe(false);
      expect(codes).toContain(tested.data.imap.failure?.code);
      expectExplained(tested.data.imap, tested.data.imap.failure.code);
    } finally {
      ews.setUserState(user, {});
      ews.setAuth({ schemes: ['NTLM', 'Negotiate'] });
    }
  });
});
