import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEwsServer, type EwsServerInstance } from '../../../test/harness/index.ts';
import { probeEws, type EwsProbeTarget } from './ews-probe.ts';
import type { ProbeReport } from './types.ts';

const USER = 'ann@contoso.test';
const PASS = 'Probe-Secret-2026';

let ews: EwsServerInstance;

beforeAll(async () => {
  ews = await startEwsServer();
  ews.addUser({ email: USER, username: 'CONTOSO\\ann', password: PASS });
});
afterAll(() => ews?.stop());
beforeEach(() => {
  ews.setAuth({ schemes: ['NTLM', 'Negotiate'] });
  ews.setUserState(USER, {});
  ews.setBusy(null);
  ews.setAutodiscover('ok');
});

const target = (over: Partial<EwsProbeTarget> = {}): EwsProbeTarget => ({
  email: USER,
  url: ews.url,
  username: 'CONTOSO\\ann',
  password: PASS,
  allowPlaintext: false,
  pinnedCertPem: null,
  extraCaPems: [ews.caPem],
  hostPolicy: { allowLocal: true, allowPrivate: true },
  timeoutMs: 5_000,
  ...over,
});

function noSecret(report: ProbeReport): void {
  const json = JSON.stringify(report);
  expect(json).not.toContain(PASS);
  expect(json).not.toContain(Buffer.from(PASS).toString('base64'));
}

const stages = (r: ProbeReport) => r.stages.map((s) => `${s.stage}:${s.ok ? 'ok' : 'fail'}`);

describe('probeEws', () => {
  it('passes connect, tls, auth (NTLM) and list against an endpoint, and reports it', async () => {
    const report = await probeEws(target());
    expect(report.failure).toBeNull();
    expect(report).toMatchObject({ ok: true, protocol: 'ews', url: ews.url, host: '127.0.0.1', port: ews.port, security: 'tls' });
    expect(stages(report)).toEqual(['connect:ok', 'tls:ok', 'auth:ok', 'list:ok']);
    expect(report.stages.find((s) => s.stage === 'list')?.detail?.folders).toContain('Inbox');
    noSecret(report);
  });

  it('finds the endpoint by POX and by SOAP Autodiscover, signed in', async () => {
    for (const path of ['/autodiscover/autodiscover.xml', '/autodiscover/autodiscover.svc']) {
      const report = await probeEws(target({ url: null, username: USER, autodiscoverUrls: [`${ews.origin}${path}`] }));
      expect(report.failure).toBeNull();
      expect(report.url).toBe(ews.url);
      expect(stages(report)[0]).toBe('autodiscover:ok');
    }
  });

  it('autodiscover_not_found, and autodiscover_redirected naming a target in another domain without following it', async () => {
    ews.setAutodiscover('not_found');
    const missing = await probeEws(target({ url: null, autodiscoverUrls: [`${ews.origin}/autodiscover/autodiscover.xml`] }));
    expect(missing.failure).toMatchObject({ code: 'autodiscover_not_found', stage: 'autodiscover' });
    ews.setAutodiscover({ redirectAddr: 'ann@hoster.example' });
    const before = ews.requests.length;
    const redirected = await probeEws(target({ url: null, autodiscoverUrls: [`${ews.origin}/autodiscover/autodiscover.svc`] }));
    expect(redirected.failure).toMatchObject({ code: 'autodiscover_redirected', stage: 'autodiscover' });
    expect(redirected.failure?.message.en).toContain('ann@hoster.example');
    expect(ews.requests.slice(before).filter((r) => r.status === 200)).toHaveLength(1);
  });

  it.each([
    ['auth_failed', (): void => undefined, { password: 'wrong-password' }],
    ['ntlm_refused', () => ews.setAuth({ schemes: ['Negotiate'], kerberosOnly: true }), {}],
    ['ews_disabled', () => ews.setUserState(USER, { ewsDisabled: true }), {}],
    ['access_denied', () => ews.setUserState(USER, { accessDenied: true }), {}],
    ['mailbox_move_in_progress', () => ews.setUserState(USER, { moveInProgress: true }), {}],
    ['server_busy', () => ews.setBusy({ backOffMs: 60_000, times: 1 }), {}],
  ] as const)('%s at the auth stage', async (code, arrange, over) => {
    arrange();
    const report = await probeEws(target(over));
    expect(report.failure).toMatchObject({ code, stage: 'auth' });
    expect(report.failure?.fix.en.length).toBeGreaterThan(0);
    expect(report.failure?.message['zh-CN'].length).toBeGreaterThan(0);
    if (code === 'server_busy') expect(report.failure?.message.en).toContain('60 s');
    noSecret(report);
  });

  it('signs in with Basic when that is all the server offers', async () => {
    ews.setAuth({ schemes: ['Basic'] });
    expect((await probeEws(target({ username: USER }))).failure).toBeNull();
  });

  it('classifies an untrusted certificate as the IMAP probe does, offers it for pinning, and passes once pinned', async () => {
    const untrusted = await probeEws(target({ extraCaPems: [] }));
    expect(untrusted.failure).toMatchObject({ code: 'tls_untrusted_certificate', stage: 'tls' });
    expect(untrusted.failure?.certificate?.fingerprint256).toBe(ews.fingerprint256);
    const pinned = await probeEws(target({ extraCaPems: [], pinnedCertPem: untrusted.failure!.certificate!.pem }));
    expect(pinned.failure).toBeNull();
  });

  it('refuses a loopback host the policy forbids, and plain http unless allowed', async () => {
    const local = await probeEws(target({ hostPolicy: { allowLocal: false, allowPrivate: false } }));
    expect(local.failure?.code).toBe('host_not_allowed');
    const plain = await probeEws(target({ url: ews.url.replace('https:', 'http:') }));
    expect(plain.failure?.code).toBe('plaintext_refused');
  });
});
