import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOfPem } from '../../connectors/tls-policy.ts';
import { createTestCa, startDovecot, startSmtp } from '../../../test/harness/index.ts';
import type { DovecotInstance, SmtpInstance } from '../../../test/harness/index.ts';
import { probeImap, probeSmtp } from './index.ts';
import type { ProbeReport, ProbeTarget, SmtpProbeTarget } from './index.ts';
import { closedPort, startScriptedImapPeer, startSilentPeer, type TestPeer } from '../../../test/support/peers.ts';

const USER = 'alice@example.test';
const PASSWORD = 'Pr0be-secret "quoted" \\ pass';
const WRONG = 'Wrong-password-42';
/** Not an IMAP quoted string: the probe must use AUTHENTICATE PLAIN (UTF-8) instead of LOGIN. */
const UTF8_USER = 'bob@example.test';
const UTF8_PASSWORD = 'Grüße-密码-2026';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

let dovecot: DovecotInstance;
let caDovecot: DovecotInstance;
let smtp: SmtpInstance;
const peers: TestPeer[] = [];

/** No form of any password used in this file may appear anywhere in a report. */
function assertNoSecret(report: ProbeReport): void {
  const json = JSON.stringify(report);
  for (const secret of [PASSWORD, WRONG, UTF8_PASSWORD]) {
    const user = secret === UTF8_PASSWORD ? UTF8_USER : USER;
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), b64(secret), b64(`\0${user}\0${secret}`)]) {
      expect(json).not.toContain(form);
    }
  }
}

function imapTarget(extra: Partial<ProbeTarget> = {}): ProbeTarget {
  return {
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    security: 'tls',
    username: USER,
    secret: PASSWORD,
    allowPlaintext: false,
    hostPolicy: { allowLocal: true, allowPrivate: true }, // the harness runs on loopback
    pinnedCertPem: dovecot.certPem,
    timeoutMs: 5_000,
    ...extra,
  };
}

async function imap(extra: Partial<ProbeTarget> = {}): Promise<ProbeReport> {
  const report = await probeImap(imapTarget(extra));
  assertNoSecret(report);
  return report;
}

async function smtpProbe(extra: Partial<SmtpProbeTarget> = {}): Promise<ProbeReport> {
  const report = await probeSmtp({
    ...imapTarget({ port: smtp.submissionPort, security: 'starttls', pinnedCertPem: smtp.certPem }),
    ...extra,
  });
  assertNoSecret(report);
  return report;
}

const stageNames = (report: ProbeReport): string[] => report.stages.map((s) => s.stage);
const stage = (report: ProbeReport, name: string) => report.stages.find((s) => s.stage === name);

beforeAll(async () => {
  [dovecot, caDovecot] = await Promise.all([startDovecot(), startDovecot({ tls: 'ca-signed' })]);
  smtp = await startSmtp({ dovecot });
  await Promise.all([dovecot.addUser(USER, PASSWORD), dovecot.addUser(UTF8_USER, UTF8_PASSWORD), caDovecot.addUser(USER, PASSWORD)]);
  await dovecot.append(USER, 'INBOX', 'Subject: one\r\n\r\nfirst\r\n');
  await dovecot.append(USER, 'INBOX', 'Subject: two\r\n\r\nsecond\r\n');
});

afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  await smtp?.stop();
  await Promise.all([dovecot?.stop(), caDovecot?.stop()]);
});

describe('probeImap against Dovecot', () => {
  it('passes every stage over IMAPS with the pinned self-signed certificate', async () => {
    const report = await imap();
    expect(report.failure).toBeNull();
    expect(report.ok).toBe(true);
    expect(stageNames(report)).toEqual(['connect', 'tls', 'greeting', 'auth', 'id', 'list', 'select']);
    expect(report.stages.every((s) => s.ok && s.ms >= 0)).toBe(true);
    expect(stage(report, 'tls')?.detail).toMatchObject({
      fingerprint256: dovecot.fingerprint256,
      authorized: true,
      hostnameMatches: true,
      subject: 'CN=localhost',
    });
    expect(stage(report, 'greeting')?.detail?.capabilities).toContain('IMAP4REV1');
    expect(stage(report, 'select')?.detail?.exists).toBe(2);
    expect(report.transcript).toContain(`C: t1 LOGIN "${USER}" ***`);
  });

  it('trusts a CA-signed certificate through extraCaPems, and sends IMAP ID (seen in the Dovecot log)', async () => {
    const report = await imap({ port: caDovecot.imapsPort, pinnedCertPem: null, extraCaPems: [caDovecot.caPem!] });
    expect(report.failure).toBeNull();
    expect(stage(report, 'tls')?.detail).toMatchObject({ authorized: true, issuer: 'CN=Tidings Test CA' });
    expect(stage(report, 'id')?.detail).toMatchObject({ accepted: true });
    expect(await caDovecot.readLog()).toMatch(/ID sent: name=Tidings/);
  });

  it('passes over STARTTLS, inspecting the certificate after the upgrade', async () => {
    const report = await imap({ port: dovecot.imapPort, security: 'starttls' });
    expect(report.failure).toBeNull();
    expect(stageNames(report)).toEqual(['connect', 'greeting', 'starttls', 'auth', 'id', 'list', 'select']);
    expect(stage(report, 'greeting')?.detail?.capabilities).toContain('STARTTLS');
    expect(stage(report, 'starttls')?.detail).toMatchObject({ fingerprint256: dovecot.fingerprint256, authorized: true });
  });

  it('signs in with AUTHENTICATE PLAIN when the password cannot be sent with LOGIN', async () => {
    const report = await imap({ username: UTF8_USER, secret: UTF8_PASSWORD });
    expect(report.failure).toBeNull();
    expect(stage(report, 'auth')?.detail).toMatchObject({ method: 'AUTHENTICATE PLAIN' });
    expect(report.transcript).toContain('C: t1 AUTHENTICATE PLAIN ***');
  });

  it('reports a wrong password as auth_failed with the server reply and the generic fix', async () => {
    const report = await imap({ secret: WRONG });
    expect(report.ok).toBe(false);
    expect(report.failure).toMatchObject({ code: 'auth_failed', stage: 'auth' });
    expect(report.failure?.message.en).toContain('AUTHENTICATIONFAILED');
    expect(report.failure?.fix['zh-CN']).toContain('授权码');
    expect(report.stages.at(-1)).toMatchObject({ stage: 'auth', ok: false });
  });

  it('refuses plaintext before connecting unless allowed, and reports LOGINDISABLED when allowed', async () => {
    const refused = await imap({ port: dovecot.imapPort, security: 'plain' });
    expect(refused.failure).toMatchObject({ code: 'plaintext_refused', stage: 'connect' });
    expect(refused.transcript).toEqual([]);
    const allowed = await imap({ port: dovecot.imapPort, security: 'plain', allowPlaintext: true });
    expect(allowed.failure).toMatchObject({ code: 'plaintext_refused', stage: 'auth' });
    expect(allowed.transcript.some((line) => line.includes('LOGIN "'))).toBe(false);
  });

  it('shows an untrusted self-signed certificate, accepts it once pinned, and refuses it again after rotation', async () => {
    const untrusted = await imap({ pinnedCertPem: null });
    expect(untrusted.failure).toMatchObject({ code: 'tls_untrusted_certificate', stage: 'tls' });
    const cert = untrusted.failure!.certificate!;
    expect(cert.fingerprint256).toBe(dovecot.fingerprint256);
    expect(fingerprintOfPem(cert.pem)).toBe(dovecot.fingerprint256);
    expect(untrusted.failure?.message.en).toContain(dovecot.fingerprint256);
    // Nothing was sent on the untrusted connection.
    expect(untrusted.transcript.some((line) => line.startsWith('C:'))).toBe(false);

    const pinned = await imap({ pinnedCertPem: cert.pem });
    expect(pinned.ok).toBe(true);

    const newFingerprint = await dovecot.rotateCertificate();
    const rotated = await imap({ pinnedCertPem: cert.pem });
    expect(rotated.failure).toMatchObject({ code: 'tls_untrusted_certificate', stage: 'tls' });
    expect(rotated.failure?.certificate?.fingerprint256).toBe(newFingerprint);
    expect(rotated.failure?.certificate?.fingerprint256).not.toBe(cert.fingerprint256);
    expect(rotated.failure?.message.en).toContain('changed since you trusted it');
    expect(stage(rotated, 'tls')?.detail).toMatchObject({ pinnedMatches: false });
  });

  it('explains SSL/TLS chosen for the STARTTLS port as wrong_port_security', async () => {
    const report = await imap({ port: dovecot.imapPort, security: 'tls' });
    expect(report.failure).toMatchObject({ code: 'wrong_port_security', stage: 'tls' });
    expect(report.failure?.fix.en).toContain('993 is SSL/TLS, 143 is STARTTLS');
  });
});

describe('probeImap network failures', () => {
  it('reports an unknown host as dns_not_found', async () => {
    const report = await imap({ host: 'nonexistent.invalid' });
    expect(report.failure).toMatchObject({ code: 'dns_not_found', stage: 'dns' });
    expect(stageNames(report)).toEqual(['dns']);
  });

  it('reports a closed port as connect_refused', async () => {
    const report = await imap({ port: await closedPort() });
    expect(report.failure).toMatchObject({ code: 'connect_refused', stage: 'connect' });
  });

  it('reports a server that accepts but never greets as connect_timeout at the greeting', async () => {
    const silent = await startSilentPeer();
    peers.push(silent);
    const report = await imap({ port: silent.port, security: 'starttls', timeoutMs: 300 });
    expect(report.failure).toMatchObject({ code: 'connect_timeout', stage: 'greeting' });
    expect(report.failure?.message.en).toContain('sent no greeting within 0.3 s');
    expect(stage(report, 'greeting')).toMatchObject({ ok: false });
  });

  it('reports a certificate for another name as tls_hostname_mismatch, with the certificate', async () => {
    const ca = await createTestCa();
    const other = await ca.issue({ commonName: 'mail.other.test', altNames: ['DNS:mail.other.test'] });
    const server = await startScriptedImapPeer({ greeting: '* OK ready', tls: other, reply: (tag) => [`${tag} OK`] });
    peers.push(server);
    const report = await imap({ port: server.port, pinnedCertPem: null, extraCaPems: [ca.caPem] });
    expect(report.failure).toMatchObject({ code: 'tls_hostname_mismatch', stage: 'tls' });
    expect(report.failure?.certificate?.fingerprint256).toBe(other.fingerprint256);
    expect(report.failure?.message.en).toContain('mail.other.test');
    expect(server.received).toEqual([]);
  });
});

describe('probeImap with scripted provider replies', () => {
  const capabilities = (id: boolean) => `* OK [CAPABILITY IMAP4rev1${id ? ' ID' : ''} AUTH=LOGIN] Coremail System IMap Server Ready`;
  const netEase =
    (id: boolean) =>
    (tag: string, command: string): string[] => {
      if (/^LOGIN /i.test(command)) return [`${tag} OK LOGIN completed`];
      if (/^CAPABILITY/i.test(command)) return [`* CAPABILITY IMAP4rev1${id ? ' ID' : ''}`, `${tag} OK CAPABILITY completed`];
      if (/^ID /i.test(command)) return ['* ID ("name" "Coremail")', `${tag} OK ID completed`];
      if (/^LIST /i.test(command)) return ['* LIST () "/" "INBOX"', `${tag} OK LIST Completed`];
      if (/^SELECT /i.test(command)) return [`${tag} NO SELECT Unsafe Login. Please contact kefu@188.com for help`];
      return [`${tag} BAD unknown`];
    };

  it('explains "Unsafe Login" from a server that does not advertise ID', async () => {
    const server = await startScriptedImapPeer({ greeting: capabilities(false), reply: netEase(false) });
    peers.push(server);
    const report = await imap({ port: server.port, security: 'plain', allowPlaintext: true });
    expect(report.failure).toMatchObject({ code: 'unsafe_login_needs_id', stage: 'select' });
    expect(stageNames(report)).not.toContain('id');
    expect(report.failure?.message.en).toContain('did not advertise ID');
    // The reply names NetEase: its fix applies even without a providerId.
    expect(report.failure?.fix.en).toContain('kefu@188.com');
    expect(report.failure?.fix['zh-CN']).toContain('网易');
  });

  it('sends ID when advertised and says so if the server still answers "Unsafe Login"', async () => {
    const server = await startScriptedImapPeer({ greeting: capabilities(true), reply: netEase(true) });
    peers.push(server);
    const report = await imap({ port: server.port, security: 'plain', allowPlaintext: true, providerId: 'netease163' });
    expect(server.received.some((c) => /^ID \("name" "Tidings"/.test(c))).toBe(true);
    expect(stage(report, 'id')).toMatchObject({ ok: true });
    expect(report.failure).toMatchObject({ code: 'unsafe_login_needs_id', stage: 'select' });
    expect(report.failure?.message.en).toContain('although Tidings identified itself');
  });

  it("gives QQ's authorization-code fix in both languages for QQ's LOGIN refusal", async () => {
    const server = await startScriptedImapPeer({
      greeting: '* OK [CAPABILITY IMAP4 IMAP4rev1 ID AUTH=LOGIN NAMESPACE] QQMail XMIMAP4Server ready',
      reply: (tag, command) =>
        /^LOGIN /i.test(command) ? [`${tag} NO Login fail. Please using authorized code to login.`] : [`${tag} BAD`],
    });
    peers.push(server);
    const report = await imap({ port: server.port, security: 'plain', allowPlaintext: true, providerId: 'qq' });
    expect(report.failure).toMatchObject({ code: 'auth_failed', stage: 'auth' });
    expect(report.failure?.message.en).toContain('Please using authorized code to login');
    expect(report.failure?.fix.en).toContain('16-character authorization code');
    expect(report.failure?.fix['zh-CN']).toContain('生成授权码');
    expect(report.failure?.fix['zh-CN']).toContain('16 位授权码');
  });
});

describe('probeSmtp against the SMTP harness', () => {
  it('passes STARTTLS, EHLO and AUTH, and delivers the test message to the Dovecot INBOX', async () => {
    const before = await imap();
    const report = await smtpProbe({ sendTestTo: USER });
    expect(report.failure).toBeNull();
    expect(stageNames(report)).toEqual(['connect', 'greeting', 'starttls', 'ehlo', 'auth', 'send']);
    expect(stage(report, 'ehlo')?.detail?.extensions).toContain('AUTH PLAIN LOGIN');
    expect(report.transcript).toContain('C: AUTH PLAIN ***');
    const sent = smtp.received.find((m) => m.raw.toString().includes(String(stage(report, 'send')?.detail?.messageId)));
    expect(sent?.to).toEqual([USER]);
    expect(sent?.user).toBe(USER);
    const after = await imap();
    expect(stage(after, 'select')?.detail?.exists).toBe(Number(stage(before, 'select')?.detail?.exists) + 1);
  });

  it('passes over implicit TLS (SMTPS)', async () => {
    const report = await smtpProbe({ port: smtp.smtpsPort, security: 'tls' });
    expect(report.failure).toBeNull();
    expect(stageNames(report)).toEqual(['connect', 'tls', 'greeting', 'ehlo', 'auth']);
  });

  it('reports a wrong password as auth_failed', async () => {
    const report = await smtpProbe({ secret: WRONG });
    expect(report.failure).toMatchObject({ code: 'auth_failed', stage: 'auth' });
    expect(report.failure?.message.en).toContain('535');
  });

  it('explains STARTTLS chosen for the implicit-TLS port as wrong_port_security', async () => {
    const report = await smtpProbe({ port: smtp.smtpsPort, security: 'starttls', timeoutMs: 500 });
    expect(report.failure).toMatchObject({ code: 'wrong_port_security', stage: 'greeting' });
    expect(report.failure?.fix.en).toContain('465 is SSL/TLS, 587 is STARTTLS');
    expect(report.failure?.fix['zh-CN']).toContain('465 用 SSL/TLS');
  });
});
