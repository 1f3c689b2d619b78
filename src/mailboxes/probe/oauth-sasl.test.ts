import { describe, expect, it } from 'vitest';
import { findProviderById } from '../catalogue/index.ts';
import { fixFor } from './explain.ts';
import { GENERIC_FIXES } from './fixes.ts';
import { classifyTokenRefusal, decodeOAuthChallenge, oauthPayload, pickOAuthMechanism, tokenForms } from './oauth-sasl.ts';
import { tokenFailureReport, withTokenStage } from './token-stage.ts';
import type { OAuthFailureCode, ProbeFailureCode, ProbeReport } from './types.ts';

// Gmail's error challenges, as its servers send them after a refused XOAUTH2 (IMAP "+ …", SMTP "334 …").
const GMAIL_400 = 'eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==';
const GMAIL_401 = 'eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIG1hYyIsInNjb3BlIjoiaHR0cHM6Ly9tYWlsLmdvb2dsZS5jb20vIn0=';

describe('decodeOAuthChallenge', () => {
  it('reads Gmail challenges and nothing else', () => {
    expect(decodeOAuthChallenge(GMAIL_400)).toEqual({ status: '400', schemes: 'Bearer', scope: 'https://mail.google.com/' });
    expect(decodeOAuthChallenge(GMAIL_401)).toEqual({ status: '401', schemes: 'bearer mac', scope: 'https://mail.google.com/' });
    expect(decodeOAuthChallenge('')).toBeUndefined();
    expect(decodeOAuthChallenge('bm90IGpzb24=')).toBeUndefined(); // "not json"
    expect(decodeOAuthChallenge(Buffer.from('"a string"').toString('base64'))).toBeUndefined();
  });
});

describe('classifyTokenRefusal', () => {
  // Replies real servers give to AUTHENTICATE XOAUTH2 / AUTH XOAUTH2 (provider docs and client bug reports).
  const gmailImapRefused = 'NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)';
  const gmailSmtpRefused =
    '535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2-20020a05600c';
  const gmailImapOff = {
    domain:
      'NO [ALERT] IMAP access is disabled for your domain. Please contact your domain administrator for questions about this feature. (Failure)',
    account:
      'NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)',
  };
  const microsoftSmtpAuthOff = (scope: 'Tenant' | 'Mailbox', server: string) =>
    `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the ${scope}. Visit https://aka.ms/smtp_auth_disabled for more information. [${server}]`;
  const cases: Array<[string, string | undefined, ProbeFailureCode]> = [
    // Microsoft 365 / Outlook.com IMAP: a good token for a mailbox with IMAP off.
    ['NO AUTHENTICATE failed.', undefined, 'oauth_imap_disabled'],
    // Google Workspace with IMAP off for the domain; a Gmail user with IMAP off.
    [gmailImapOff.domain, undefined, 'oauth_imap_disabled'],
    [gmailImapOff.account, undefined, 'oauth_imap_disabled'],
    // Gmail after its error challenge: 401 = token not accepted, 400 = not good for this account's mail.
    [gmailImapRefused, GMAIL_401, 'oauth_token_rejected'],
    [gmailImapRefused, GMAIL_400, 'oauth_scope_missing'],
    [gmailSmtpRefused, GMAIL_401, 'oauth_token_rejected'],
    [gmailSmtpRefused, GMAIL_400, 'oauth_scope_missing'],
    // Microsoft 365 SMTP: SMTP AUTH off for the tenant or the mailbox; a token it does not take.
    [microsoftSmtpAuthOff('Tenant', 'SN4PR0501CA0056.namprd05.prod.outlook.com'), undefined, 'oauth_smtp_disabled'],
    [microsoftSmtpAuthOff('Mailbox', 'AM0PR02CA0010.eurprd02.prod.outlook.com'), undefined, 'oauth_smtp_disabled'],
    ['535 5.7.3 Authentication unsuccessful [BN0PR04CA0163.namprd04.prod.outlook.com]', undefined, 'oauth_token_rejected'],
    // Dovecot's oauth2 passdb when its token check says 401 (what our harness answers to a revoked token).
    ['NO [UNAVAILABLE] Temporary authentication failure. [host:2026-12-07 01:00:00]', undefined, 'oauth_token_rejected'],
    ['NO [AUTHENTICATIONFAILED] Authentication failed.', undefined, 'oauth_token_rejected'],
    ['NO [CANNOT] Unsupported authentication mechanism.', undefined, 'auth_method_unsupported'],
    ['454 4.7.0 Too many login attempts, please try again later.', undefined, 'rate_limited'],
  ];
  it.each(cases)('%s (challenge %s) → %s', (text, challenge, code) => {
    expect(classifyTokenRefusal(text, challenge ? decodeOAuthChallenge(challenge) : undefined)).toBe(code);
  });
});

describe('SASL payloads and redaction forms', () => {
  it('prefers XOAUTH2, falls back to OAUTHBEARER', () => {
    expect(pickOAuthMechanism(['PLAIN', 'OAUTHBEARER', 'XOAUTH2'])).toBe('XOAUTH2');
    expect(pickOAuthMechanism(['PLAIN', 'OAUTHBEARER'])).toBe('OAUTHBEARER');
    expect(pickOAuthMechanism(['PLAIN', 'LOGIN'])).toBeUndefined();
  });

  it('builds the payloads as Google and RFC 7628 write them', () => {
    expect(oauthPayload('XOAUTH2', 'ann@example.com', 'ya29.tok', 'imap.gmail.com', 993)).toBe(
      'user=ann@example.com\x01auth=Bearer ya29.tok\x01\x01',
    );
    expect(oauthPayload('OAUTHBEARER', 'a,b=c@example.com', 'tok', 'imap.example.com', 993)).toBe(
      'n,a=a=2Cb=3Dc@example.com,\x01host=imap.example.com\x01port=993\x01auth=Bearer tok\x01\x01',
    );
  });

  it('lists the raw token and every base64 form it travels in', () => {
    const forms = tokenForms('ann@example.com', 'ya29.secret-token', 'imap.example.com', 993);
    expect(forms).toContain('ya29.secret-token');
    expect(forms).toContain(Buffer.from('user=ann@example.com\x01auth=Bearer ya29.secret-token\x01\x01').toString('base64'));
    expect(forms).toContain(Buffer.from('ya29.secret-token').toString('base64'));
  });
});

describe('the token stage', () => {
  const target = { protocol: 'imap' as const, host: 'outlook.office365.com', port: 993, security: 'tls' as const };

  it('reports a failed token as the first and only stage, with the code’s message and fix in both languages', () => {
    const report = tokenFailureReport(
      { ...target, providerId: 'microsoft365', providerName: 'Microsoft' },
      { code: 'oauth_admin_consent_required', message: 'AADSTS90094: The grant requires admin permission.' },
      120,
    );
    expect(report).toMatchObject({ ok: false, protocol: 'imap', stages: [{ stage: 'token', ok: false, ms: 120 }] });
    expect(report.failure).toMatchObject({ code: 'oauth_admin_consent_required', stage: 'token' });
    expect(report.failure?.message.en).toContain('AADSTS90094');
    expect(report.failure?.fix.en).toContain('Grant admin consent');
    expect(report.failure?.fix['zh-CN']).toContain('管理员同意');
  });

  it('names the provider in oauth_app_missing and keeps an unknown code’s text as a provider failure', () => {
    const missing = tokenFailureReport({ ...target, providerName: 'Microsoft' }, { code: 'oauth_app_missing' });
    expect(missing.failure?.message.en).toBe('No sign-in app is set up for Microsoft yet.');
    const odd = tokenFailureReport(target, { code: 'something_new', message: 'temporarily_unavailable' });
    expect(odd.failure?.code).toBe('oauth_provider_unreachable');
    expect(odd.stages[0].detail).toEqual({ code: 'something_new' });
  });

  it('puts a passed token stage in front of a probe report', () => {
    const probe: ProbeReport = {
      ...tokenFailureReport(target, { code: 'oauth_revoked' }),
      ok: true,
      failure: null,
      stages: [],
      totalMs: 50,
    };
    expect(withTokenStage(probe, 30)).toMatchObject({ stages: [{ stage: 'token', ok: true, ms: 30 }], totalMs: 80 });
  });

  it('has a provider-specific fix where Google and Microsoft differ', () => {
    const codes: OAuthFailureCode[] = ['oauth_imap_disabled'];
    for (const code of codes) {
      expect(fixFor(code, findProviderById('microsoft365')).en).toContain('AUTHENTICATE failed.');
      expect(fixFor(code, findProviderById('gmail')).en).toContain('Forwarding and POP/IMAP');
      expect(fixFor(code, findProviderById('outlook')).en).toContain('Let devices and apps use IMAP');
      expect(fixFor(code, undefined)).toEqual(GENERIC_FIXES[code]);
    }
  });
});
