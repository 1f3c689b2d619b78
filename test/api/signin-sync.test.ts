import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, startOAuthProvider, type DovecotInstance, type OAuthProviderInstance } from '../harness/index.ts';
import type { Client } from '../support/app.ts';
import { rawMessage } from '../support/corpus.ts';
import { databaseKinds } from '../support/database.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const REDIRECT = 'http://localhost:3000/oauth/callback';

/**
 * End to end over real servers: the local provider signs the user in, Dovecot checks the token against
 * the provider's userinfo endpoint (oauth2 passdb), the sync engine signs in with XOAUTH2.
 */
describe.each(databaseKinds)('OAuth mailboxes sync from Dovecot over XOAUTH2 (%s)', (kind) => {
  let env: SyncEnv;
  let admin: Client;
  let google: OAuthProviderInstance;
  let microsoft: OAuthProviderInstance;
  let gmailDovecot: DovecotInstance;
  let outlookDovecot: DovecotInstance;

  async function signIn(body: Record<string, unknown>, provider: OAuthProviderInstance, email: string): Promise<string> {
    const started = await admin.post('/api/v1/signin/flows', body);
    expect(started.statusCode, started.body).toBe(201);
    const back = new URL(await provider.authorize(started.data.authorizationUrl, { email }));
    const landed = await admin.get(`${back.pathname}${back.search}`);
    expect(new URL(String(landed.headers.location), 'http://x').searchParams.get('signinError')).toBeNull();
    return started.data.id;
  }

  const messageIds = async (mailboxId: string) =>
    (await env.db.db.selectFrom('messages').select('message_id_header').where('mailbox_id', '=', mailboxId).execute())
      .map((r) => r.message_id_header)
      .sort();

  beforeAll(async () => {
    // Access tokens shorter than the 5-minute margin: every connection refreshes, as after an hour in production.
    [google, microsoft] = await Promise.all([
      startOAuthProvider({ kind: 'google', accessTokenTtlSeconds: 120 }),
      startOAuthProvider({ kind: 'microsoft', accessTokenTtlSeconds: 120 }),
    ]);
    [gmailDovecot, outlookDovecot] = await Promise.all([
      startDovecot({ oauth2: { userinfoUrl: google.userinfoUrl } }),
      startDovecot({ oauth2: { userinfoUrl: microsoft.userinfoUrl } }),
    ]);
    google.addAccount('ann@gmail.example');
    microsoft.addAccount('li@contoso.example');
    google.registerClient({ clientId: 'g', clientSecret: 'g-secret-123456', redirectUris: [REDIRECT] });
    microsoft.registerClient({ clientId: 'm', clientSecret: 'm-secret-123456', redirectUris: [REDIRECT] });
    await gmailDovecot.addOAuthUser('ann@gmail.example');
    await outlookDovecot.addOAuthUser('li@contoso.example');
    env = await startSyncEnv(kind, {
      dovecot: gmailDovecot,
      config: {
        signin: {
          google: { clientId: 'g', clientSecret: 'g-secret-123456', issuer: google.issuer },
          microsoft: { clientId: 'm', clientSecret: 'm-secret-123456', tenant: 'organizations', authority: microsoft.issuer },
        },
      },
    });
    admin = env.admin;
  });

  afterAll(async () => {
    await env?.close();
    await Promise.all([gmailDovecot?.stop(), outlookDovecot?.stop(), google?.stop(), microsoft?.stop()]);
  });

  it('apps from the environment show as such', async () => {
    const apps = await admin.get('/api/v1/signin-apps');
    expect(apps.data.items.map((i: any) => [i.provider, i.source, i.clientId, i.hasSecret])).toEqual([
      ['google', 'environment', 'g', true],
      ['microsoft', 'environment', 'm', true],
    ]);
  });

  it('binds a Gmail-like mailbox, syncs it, and after a revoke "Sign in again" resumes with the messages exact', async () => {
    for (let i = 0; i < 3; i++) await gmailDovecot.append('ann@gmail.example', 'INBOX', rawMessage('before', i));
    const signinId = await signIn({ provider: 'google', email: 'ann@gmail.example' }, google, 'ann@gmail.example');
    const settings = {
      email: 'ann@gmail.example',
      providerId: 'custom',
      imap: { host: '127.0.0.1', port: gmailDovecot.imapsPort, security: 'tls' },
      smtp: null,
      authKind: 'oauth2',
      signinId,
      trustedCertificates: { imap: gmailDovecot.fingerprint256 },
    };
    const tested = await admin.post('/api/v1/mailboxes/test', settings);
    expect(tested.data.ok, JSON.stringify(tested.data.imap.failure)).toBe(true);
    expect(tested.data.imap.stages.map((s: any) => s.stage)).toEqual(expect.arrayContaining(['token', 'oauth', 'select']));
    const bound = await admin.post('/api/v1/mailboxes', settings);
    expect(bound.statusCode, bound.body).toBe(201);
    expect(bound.data.mailbox).toMatchObject({ authKind: 'oauth2', status: 'active' });
    const mailboxId = bound.data.mailbox.id as string;

    const supervisor = env.supervisor();
    supervisor.start();
    await waitFor('first sync', async () =>
      expect(
        await countMessages(env, mailboxId),
        JSON.stringify((await admin.get(`/api/v1/mailboxes/${mailboxId}`)).data.mailbox.sync),
      ).toBe(3),
    );
    await gmailDovecot.append('ann@gmail.example', 'INBOX', rawMessage('live', 0));
    await waitFor('new mail while watching', async () => expect(await countMessages(env, mailboxId)).toBe(4));

    // The user removes Tidings' access while the sync is stopped; the next token refresh gets invalid_grant.
    await supervisor.stop();
    await google.revoke('ann@gmail.example');
    for (let i = 0; i < 2; i++) await gmailDovecot.append('ann@gmail.example', 'INBOX', rawMessage('outage', i));
    const retest = await admin.post(`/api/v1/mailboxes/${mailboxId}/test`);
    expect(retest.data.imap.failure).toMatchObject({ code: 'oauth_revoked', stage: 'token' });
    const attention = await env.db.db
      .selectFrom('mailboxes')
      .select(['status', 'status_reason'])
      .where('id', '=', mailboxId)
      .executeTakeFirstOrThrow();
    expect(attention.status).toBe('needs_attention');
    expect(await countMessages(env, mailboxId)).toBe(4);

    // Sign in again: the grant is replaced, the mailbox is active and the runner resumes from its cursors.
    const again = await signIn({ provider: 'google', purpose: 'reauth', mailboxId }, google, 'ann@gmail.example');
    expect((await admin.get(`/api/v1/signin/flows/${again}`)).data.status).toBe('used');
    const resumed = env.supervisor();
    resumed.start();
    await waitFor('resumed', async () => expect(await countMessages(env, mailboxId)).toBe(6), 30_000);
    const ids = await messageIds(mailboxId);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toEqual(['before.0', 'before.1', 'before.2', 'live.0', 'outage.0', 'outage.1'].map((id) => `<${id}@example.test>`).sort());
    expect((await admin.get(`/api/v1/mailboxes/${mailboxId}`)).data.mailbox.status).toBe('active');
    await resumed.stop();
  });

  it('binds a Microsoft-like mailbox with the device code and syncs it', async () => {
    await outlookDovecot.append('li@contoso.example', 'INBOX', rawMessage('ms', 0));
    await outlookDovecot.append('li@contoso.example', 'INBOX', rawMessage('ms', 1));
    const started = await admin.post('/api/v1/signin/flows', { provider: 'microsoft', email: 'li@contoso.example', method: 'device' });
    expect(started.statusCode, started.body).toBe(201);
    await microsoft.approveDevice(started.data.device.userCode, 'li@contoso.example');
    await waitFor(
      'device sign-in',
      async () => expect((await admin.get(`/api/v1/signin/flows/${started.data.id}`)).data.status).toBe('signed_in'),
      30_000,
      500,
    );
    const bound = await admin.post('/api/v1/mailboxes', {
      email: 'li@contoso.example',
      providerId: 'custom',
      imap: { host: '127.0.0.1', port: outlookDovecot.imapsPort, security: 'tls' },
      authKind: 'oauth2',
      signinId: started.data.id,
      trustedCertificates: { imap: outlookDovecot.fingerprint256 },
    });
    expect(bound.statusCode, bound.body).toBe(201);
    const supervisor = env.supervisor();
    supervisor.start();
    await waitFor('microsoft sync', async () => expect(await countMessages(env, bound.data.mailbox.id)).toBe(2));
    await supervisor.stop();
  });
});
