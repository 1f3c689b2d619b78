// The connection probe signing in with an access token: against Dovecot's oauth2 passdb and the SMTP
// harness (tokens from the local provider), and against scripted peers for provider replies we cannot reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSigned, oauthTestClient, startDovecot, startOAuthProvider, startSmtp } from '../../../test/harness/index.ts';
import type { DovecotInstance, OAuthProviderInstance, OAuthTestClient, SmtpInstance } from '../../../test/harness/index.ts';
import { startScriptedImapPeer, type TestPeer } from '../../../test/support/peers.ts';
import { probeImap, probeSmtp } from './index.ts';
import type { ProbeReport, ProbeTarget } from './index.ts';
import { tokenForms } from './oauth-sasl.ts';

const USER = 'ann@corp.example';
let google: OAuthProviderInstance;
let dovecot: DovecotInstance;
let smtp: SmtpInstance;
let client: OAuthTestClient;
const peers: TestPeer[] = [];

/** No form of the token may appear anywhere in the report. */
function assertNoToken(report: ProbeReport, target: ProbeTarget): void {
  const json = JSON.stringify(report);
  for (const form of tokenForms(target.username, target.accessToken!, target.host, target.port)) expect(json).not.toContain(form);
  expect(json).not.toContain('Bearer ');
}

function target(accessToken: string, extra: Partial<ProbeTarget> = {}): ProbeTarget {
  return {
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    security: 'tls',
    username: USER,
    secret: '',
    accessToken,
    allowPlaintext: false,
    hostPolicy: { allowLocal: true, allowPrivate: true },
    pinnedCertPem: dovecot.certPem,
    timeoutMs: 5_000,
    ...extra,
  };
}

async function imap(t: ProbeTarget): Promise<ProbeReport> {
  const report = await probeImap(t);
  assertNoToken(report, t);
  return report;
}

async function smtpProbe(t: ProbeTarget): Promise<ProbeReport> {
  const report = await probeSmtp(t);
  assertNoToken(report, t);
  return report;
}

beforeAll(async () => {
  google = await startOAuthProvider({ kind: 'google' });
  dovecot = await startDovecot({ oauth2: { userinfoUrl: google.userinfoUrl } });
  smtp = await startSmtp({ dovecot, oauth2: { userinfoUrl: google.userinfoUrl } });
  client = await oauthTestClient(google);
  google.addAccount(USER);
  await dovecot.addOAuthUser(USER);
  await dovecot.append(USER, 'INBOX', 'Subject: hello\r\n\r\nbody\r\n');
});

afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  await smtp?.stop();
  await dovecot?.stop();
  await google?.stop();
});

describe('probe with an access token (Dovecot oauth2 passdb, local Google)', () => {
  it('IMAP: signs in with AUTHENTICATE XOAUTH2 (SASL-IR) and opens the INBOX; the transcript hides the token', async () => {
    const { accessToken } = await client.signIn(USER);
    const report = await imap(target(accessToken));
    expect(report.failure).toBeNull();
    expect(report.stages.map((s) => s.stage)).toEqual(['connect', 'tls', 'greeting', 'oauth', 'id', 'list', 'select']);
    expect(report.stages.find((s) => s.stage === 'oauth')?.detail).toMatchObject({ method: 'AUTHENTICATE XOAUTH2' });
    expect(report.stages.find((s) => s.stage === 'select')?.detail).toMatchObject({ exists: 1 });
    expect(report.transcript.filter((line) => line.includes('AUTHENTICATE'))).toEqual(['C: t1 AUTHENTICATE XOAUTH2 ***']);
    expect((await dovecot.readLog()).match(/Login: user=<ann@corp\.example>, method=XOAUTH2/)).not.toBeNull();
  });

  it('IMAP over STARTTLS (the plain port): the token is sent only after the upgrade', async () => {
    const { accessToken } = await client.signIn(USER);
    // Dovecot always offers SASL-IR; the scripted Microsoft peer below covers the continuation path.
    const report = await imap(target(accessToken, { port: dovecot.imapPort, security: 'starttls' }));
    expect(report.failure).toBeNull();
    const stages = report.stages.map((s) => s.stage);
    expect(stages.indexOf('starttls')).toBeLessThan(stages.indexOf('oauth'));
  });

  it('SMTP: AUTH XOAUTH2 then a test message delivered to the INBOX', async () => {
    const { accessToken } = await client.signIn(USER);
    const report = await smtpProbe({
      ...target(accessToken, { port: smtp.submissionPort, security: 'starttls', pinnedCertPem: smtp.certPem }),
      sendTestTo: USER,
    } as ProbeTarget);
    expect(report.failure).toBeNull();
    expect(report.stages.find((s) => s.stage === 'oauth')?.detail).toMatchObject({ method: 'XOAUTH2' });
    expect(smtp.received.at(-1)).toMatchObject({ user: USER, to: [USER] });
  });

  it('a revoked grant: IMAP and SMTP classify the refusal as oauth_token_rejected (SMTP after Gmail’s challenge)', async () => {
    google.addAccount('bob@corp.example');
    await dovecot.addOAuthUser('bob@corp.example');
    const { accessToken } = await client.signIn('bob@corp.example');
    await google.revoke('bob@corp.example');
    const imapReport = await imap(target(accessToken, { username: 'bob@corp.example' }));
    expect(imapReport.failure).toMatchObject({ code: 'oauth_token_rejected', stage: 'oauth' });
    expect(imapReport.failure?.fix.en).toContain('Sign in again');

    const smtpReport = await smtpProbe(
      target(accessToken, { username: 'bob@corp.example', port: smtp.smtpsPort, security: 'tls', pinnedCertPem: smtp.certPem }),
    );
    expect(smtpReport.failure).toMatchObject({ code: 'oauth_token_rejected', stage: 'oauth' });
    expect(smtpReport.stages.find((s) => s.stage === 'oauth')?.detail).toMatchObject({
      challenge: { status: '401', schemes: 'Bearer', scope: 'https://mail.google.com/' },
    });
    expect(smtpReport.transcript).toContain('C: (empty line)');
  });
});

describe('probe with an access token (SMTP shaped like Microsoft 365)', () => {
  it('SMTP AUTH switched off for the mailbox: 535 5.7.139 is oauth_smtp_disabled with the Microsoft 365 fix', async () => {
    const microsoft = await startOAuthProvider({ kind: 'microsoft' });
    const m365Smtp = await startSmtp({ dovecot, oauth2: { userinfoUrl: microsoft.userinfoUrl, kind: 'microsoft' } });
    try {
      microsoft.addAccount('erin@contoso.example');
      const { accessToken } = await (await oauthTestClient(microsoft)).signIn('erin@contoso.example');
      const t = target(accessToken, {
        username: 'erin@contoso.example',
        port: m365Smtp.submissionPort,
        security: 'starttls',
        pinnedCertPem: m365Smtp.certPem,
        providerId: 'microsoft365',
      });
      expect((await smtpProbe(t)).failure).toBeNull();
      m365Smtp.setSmtpAuthDisabled('erin@contoso.example', true);
      const report = await smtpProbe(t);
      expect(report.failure).toMatchObject({ code: 'oauth_smtp_disabled', stage: 'oauth' });
      expect(report.failure?.message.en).toContain('5.7.139');
      expect(report.failure?.fix.en).toContain('Authenticated SMTP');
      expect(report.failure?.fix['zh-CN']).toContain('经过身份验证的 SMTP');
    } finally {
      await m365Smtp.stop();
      await microsoft.stop();
    }
  });
});

describe('probe with an access token (scripted provider replies)', () => {
  const cert = createSelfSigned({ commonName: 'localhost', altNames: ['IP:127.0.0.1'] });

  interface ScriptState {
    /** The AUTHENTICATE command's tag. */
    tag?: string;
    /** A line sent on its own (a SASL response): the peer reads it as a tag with no command. */
    response?: string;
  }

  async function scripted(
    greeting: string,
    onAuth: (tag: string, command: string, state: ScriptState) => string[],
  ): Promise<{ peer: TestPeer; state: ScriptState }> {
    const state: ScriptState = {};
    const peer = await startScriptedImapPeer({
      greeting,
      tls: await cert,
      reply: (tag, command) => {
        if (/^CAPABILITY$/i.test(command)) return ['* CAPABILITY IMAP4rev1', `${tag} OK done`];
        if (command === '') state.response = tag;
        return onAuth(tag, command, state);
      },
    });
    peers.push(peer);
    return { peer, state };
  }

  it('Microsoft 365 without SASL-IR: the payload follows the "+", and "AUTHENTICATE failed." is oauth_imap_disabled', async () => {
    const { peer, state } = await scripted(
      '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2] The Microsoft Exchange IMAP4 service is ready.',
      (tag, command, state) => {
        if (/^AUTHENTICATE XOAUTH2$/i.test(command)) {
          state.tag = tag;
          return ['+ '];
        }
        // The base64 payload arrives as a line of its own (no tag): the peer splits it as tag + command.
        return [`${state.tag} NO AUTHENTICATE failed.`];
      },
    );
    const t = target('EwB4A8l6BAAUbDba-microsoft-token', {
      port: peer.port,
      pinnedCertPem: (await cert).certPem,
      providerId: 'microsoft365',
    });
    const report = await imap(t);
    expect(report.failure).toMatchObject({ code: 'oauth_imap_disabled', stage: 'oauth' });
    expect(report.failure?.fix.en).toContain('Manage email apps › IMAP');
    expect(report.transcript).toContain('C: ***');
    expect(Buffer.from(state.response ?? '', 'base64').toString()).toBe(
      `user=${USER}\x01auth=Bearer EwB4A8l6BAAUbDba-microsoft-token\x01\x01`,
    );
  });

  it('Gmail with SASL-IR: the error challenge (status 400) is answered with an empty line, then classified oauth_scope_missing', async () => {
    const challenge = Buffer.from(JSON.stringify({ status: '400', schemes: 'Bearer', scope: 'https://mail.google.com/' })).toString(
      'base64',
    );
    const { peer, state: gmail } = await scripted(
      '* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER] Gimap ready',
      (tag, command, state) => {
        if (/^AUTHENTICATE XOAUTH2 /i.test(command)) {
          state.tag = tag;
          return [`+ ${challenge}`];
        }
        return command === '' ? [`${state.tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)`] : [`${tag} BAD unexpected`];
      },
    );
    const t = target('ya29.a0-gmail-token', { port: peer.port, pinnedCertPem: (await cert).certPem, providerId: 'gmail' });
    const report = await imap(t);
    expect(report.failure).toMatchObject({ code: 'oauth_scope_missing', stage: 'oauth' });
    expect(report.stages.find((s) => s.stage === 'oauth')?.detail).toMatchObject({ challenge: { status: '400' } });
    expect(report.transcript).toContain('C: (empty line)');
    expect(gmail.response).toBe('');
  });

  it('OAUTHBEARER when it is the only OAuth mechanism offered', async () => {
    const { peer } = await scripted('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] ready', (tag, command) => {
      if (/^AUTHENTICATE OAUTHBEARER /i.test(command)) {
        const payload = Buffer.from(command.split(' ')[2], 'base64').toString();
        return payload.startsWith(`n,a=${USER},\x01host=127.0.0.1\x01port=`)
          ? [`${tag} OK [CAPABILITY IMAP4rev1] Logged in`]
          : [`${tag} NO bad payload`];
      }
      if (/^ID /i.test(command)) return [`${tag} OK`];
      if (/^LIST /i.test(command)) return ['* LIST () "/" INBOX', `${tag} OK`];
      if (/^SELECT /i.test(command)) return ['* 0 EXISTS', `${tag} OK [READ-WRITE] done`];
      return [`${tag} BAD ${command.slice(0, 20)}`];
    });
    const report = await imap(target('opaque-bearer-token', { port: peer.port, pinnedCertPem: (await cert).certPem }));
    expect(report.failure).toBeNull();
    expect(report.stages.find((s) => s.stage === 'oauth')?.detail).toMatchObject({ method: 'AUTHENTICATE OAUTHBEARER' });
  });
});
