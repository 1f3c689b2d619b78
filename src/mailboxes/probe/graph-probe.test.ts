// The Graph connection test against the Graph harness server and the local Microsoft: each refusal an
// admin meets gets its stable code, TLS is judged as for IMAP (pinning included), the token never shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_MAIL_SCOPE, GRAPH_USER_SCOPE, oauthTestClient, startGraphServer, startOAuthProvider } from '../../../test/harness/index.ts';
import type { GraphServerInstance, OAuthProviderInstance } from '../../../test/harness/index.ts';
import { classifyGraphRefusal, probeGraph, type GraphProbeTarget } from './graph-probe.ts';

const USER = 'adele@contoso.example';

describe('probeGraph', () => {
  let microsoft: OAuthProviderInstance;
  let graph: GraphServerInstance;
  let target: GraphProbeTarget;

  beforeAll(async () => {
    microsoft = await startOAuthProvider({ kind: 'microsoft' });
    microsoft.addAccount(USER);
    graph = await startGraphServer({ userinfoUrl: microsoft.userinfoUrl });
    graph.addMailbox(USER);
    const { accessToken } = await (await oauthTestClient(microsoft)).signIn(USER, { scope: `openid email ${GRAPH_MAIL_SCOPE}` });
    target = {
      email: USER,
      baseUrl: graph.baseUrl,
      user: 'me',
      accessToken,
      pinnedCertPem: null,
      extraCaPems: [graph.caPem!],
      hostPolicy: { allowLocal: true, allowPrivate: true },
      timeoutMs: 5_000,
    };
  }, 30_000);

  afterAll(async () => {
    await graph?.stop();
    await microsoft?.stop();
  });

  it('passes dns/connect, tls, auth and list, and keeps the token out of the report', async () => {
    const report = await probeGraph(target);
    expect(report.failure).toBeNull();
    expect([report.protocol, report.url, report.ok]).toEqual(['graph', graph.baseUrl, true]);
    expect(report.stages.map((s) => [s.stage, s.ok])).toEqual([
      ['connect', true],
      ['tls', true],
      ['auth', true],
      ['list', true],
    ]);
    expect(report.stages.at(-1)?.detail?.folders).toContain('Inbox');
    expect(JSON.stringify(report)).not.toContain(target.accessToken);
  });

  it('names each refusal', async () => {
    expect((await probeGraph({ ...target, accessToken: 'expired-token' })).failure).toMatchObject({
      code: 'oauth_token_rejected',
      stage: 'auth',
    });
    const profileOnly = (
      await (await oauthTestClient(microsoft, { clientId: 'profile-app' })).signIn(USER, { scope: `openid email ${GRAPH_USER_SCOPE}` })
    ).accessToken;
    expect((await probeGraph({ ...target, accessToken: profileOnly })).failure?.code).toBe('oauth_scope_missing');
    graph.setRestDisabled(USER, true);
    const notEnabled = await probeGraph(target);
    graph.setRestDisabled(USER, false);
    expect(notEnabled.failure?.code).toBe('graph_mailbox_not_enabled');
    expect(notEnabled.failure?.message.en).toContain('MailboxNotEnabledForRESTAPI');
    graph.throttle({ status: 503, retryAfterSeconds: 5, count: 1 });
    expect((await probeGraph(target)).failure?.code).toBe('server_busy');
  });

  it('judges the certificate as the IMAP test does: untrusted without the CA, fine once pinned', async () => {
    const untrusted = await probeGraph({ ...target, extraCaPems: [] });
    expect(untrusted.failure).toMatchObject({ code: 'tls_untrusted_certificate', stage: 'tls' });
    expect(untrusted.failure?.certificate?.pem).toBe(graph.certPem);
    expect((await probeGraph({ ...target, extraCaPems: [], pinnedCertPem: graph.certPem })).ok).toBe(true);
    expect((await probeGraph({ ...target, baseUrl: graph.baseUrl.replace('https:', 'http:') })).failure?.code).toBe('plaintext_refused');
    expect((await probeGraph({ ...target, hostPolicy: { allowLocal: false, allowPrivate: false } })).failure?.code).toBe(
      'host_not_allowed',
    );
  });

  it('classifies app-only refusals as access denied', () => {
    expect(classifyGraphRefusal(403, 'ErrorAccessDenied', true)).toBe('access_denied');
    expect(classifyGraphRefusal(429, 'TooManyRequests', false)).toBe('rate_limited');
  });
});
