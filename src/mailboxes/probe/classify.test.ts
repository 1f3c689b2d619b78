import { describe, expect, it } from 'vitest';
import { itMaps } from '../../../test/support/cases.ts';
import { findProviderById } from '../catalogue/index.ts';
import { classifyReply, providerHintFromReply } from './classify.ts';
import { explainFailure, fixFor, resolveProvider } from './explain.ts';
import { GENERIC_FIXES, PROVIDER_FIXES } from './fixes.ts';
import { imapQuote } from './imap-session.ts';
import { MESSAGES } from './messages.ts';
import { ProbeError } from './probe-error.ts';
import { authMechanisms } from './smtp-session.ts';
import { classifyCertificateError } from './tls-inspect.ts';
import type { ProbeFailureCode } from './types.ts';

describe('classifyReply', () => {
  // Reply texts as providers send them (collected from their help pages and client bug reports).
  const imapCases: Array<[string, ProbeFailureCode]> = [
    ['NO [AUTHENTICATIONFAILED] Authentication failed.', 'auth_failed'],
    ['NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)', 'auth_failed'],
    ['NO LOGIN Login error or password error', 'auth_failed'],
    ['NO Login fail. Please using authorized code to login.', 'auth_failed'],
    ['NO Login fail. Please using weixin token to login.', 'auth_failed'],
    ['NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)', 'auth_failed'],
    ['NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)', 'auth_failed'],
    ['NO LOGIN Login error user suspended', 'imap_disabled_by_provider'],
    [
      'NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)',
      'imap_disabled_by_provider',
    ],
    [
      'NO Login fail. Account is abnormal, service is not open, password is incorrect, login frequency limited, or system is busy.',
      'imap_disabled_by_provider',
    ],
    ['NO IMAP服务未开启', 'imap_disabled_by_provider'],
    ['NO [UNAVAILABLE] Temporary authentication failure. [host:2026-01-01]', 'rate_limited'],
    ['NO [ALERT] Too many simultaneous connections. (Failure)', 'rate_limited'],
    ['NO [LIMIT] Login rate exceeded', 'rate_limited'],
    ['NO 登录过于频繁,请稍后再试', 'rate_limited'],
    ['NO SELECT Unsafe Login. Please contact kefu@188.com for help', 'unsafe_login_needs_id'],
    ['NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.', 'plaintext_refused'],
    ['NO [CANNOT] Unsupported authentication mechanism.', 'auth_method_unsupported'],
  ];
  it.each(imapCases)('IMAP %s → %s', (text, code) => {
    expect(classifyReply(text, 'auth_failed')).toBe(code);
  });

  const smtpCases: Array<[string, number, ProbeFailureCode]> = [
    ['535 Error: authentication failed', 535, 'auth_failed'],
    ['535 Login Fail. Please enter your authorization code to login.', 535, 'auth_failed'],
    ['535-5.7.8 Username and Password not accepted. 535 5.7.8 https://support.google.com/mail/?p=BadCredentials', 535, 'auth_failed'],
    ['534-5.7.9 Application-specific password required.', 534, 'auth_failed'],
    ['534 5.7.14 Authentication mechanism is too weak', 534, 'auth_method_unsupported'],
    ['535 5.7.139 Authentication unsuccessful, basic authentication is disabled.', 535, 'auth_method_unsupported'],
    ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', 535, 'imap_disabled_by_provider'],
    ['550 User has no permission', 550, 'imap_disabled_by_provider'],
    ['538 Error: Must issue a STARTTLS command first', 538, 'plaintext_refused'],
    ['530 5.7.0 Must issue a STARTTLS command first.', 530, 'plaintext_refused'],
    ['504 5.5.4 Unrecognized authentication type', 504, 'auth_method_unsupported'],
    ['421 4.7.0 Too many concurrent SMTP connections', 421, 'rate_limited'],
    ['454 4.7.0 Too many login attempts, please try again later.', 454, 'rate_limited'],
    ['554 DT:SPM 163 smtp14', 554, 'send_failed'],
  ];
  it.each(smtpCases)('SMTP %s → %s', (text, code, expected) => {
    expect(classifyReply(text, text.startsWith('554') ? 'send_failed' : 'auth_failed', code)).toBe(expected);
  });

  it('falls back to the stage default for a refusal it does not recognise', () => {
    expect(classifyReply('NO Mailbox does not exist', 'mailbox_unavailable')).toBe('mailbox_unavailable');
  });

  it('recognises providers by their own replies', () => {
    expect(providerHintFromReply('NO Login fail. Please using authorized code to login.')).toBe('qq');
    expect(providerHintFromReply('NO SELECT Unsafe Login. Please contact kefu@188.com for help')).toBe('netease163');
    expect(providerHintFromReply('NO [AUTHENTICATIONFAILED] Authentication failed.')).toBeUndefined();
  });
});

describe('classifyCertificateError', () => {
  itMaps('%s → %s', classifyCertificateError, [
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_untrusted_certificate'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls_untrusted_certificate'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls_untrusted_certificate'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_hostname_mismatch'],
    ['CERT_HAS_EXPIRED', 'tls_certificate_expired'],
    ['CERT_NOT_YET_VALID', 'tls_certificate_expired'],
  ]);
});

describe('fixes', () => {
  const codes = Object.keys(GENERIC_FIXES) as ProbeFailureCode[];

  it('has a message and a fix in both languages for every code', () => {
    for (const code of codes) {
      expect(GENERIC_FIXES[code].en.length).toBeGreaterThan(20);
      expect(GENERIC_FIXES[code]['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      const message = MESSAGES[code]({ host: 'imap.example.com', port: 993 });
      expect(message.en.length).toBeGreaterThan(10);
      expect(message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('keys provider fixes by catalogue ids that exist', () => {
    for (const id of Object.keys(PROVIDER_FIXES)) expect(findProviderById(id)?.id).toBe(id);
  });

  it('picks the provider fix, else the generic fix plus the catalogue help', () => {
    expect(fixFor('auth_failed', findProviderById('gmail')).en).toContain('app password');
    expect(fixFor('auth_failed', findProviderById('outlook')).en).toContain('Sign in with Microsoft');
    expect(fixFor('imap_disabled_by_provider', findProviderById('exmail'))['zh-CN']).toContain('客户端访问限制');
    expect(fixFor('auth_failed', findProviderById('netease126'))['zh-CN']).toContain('授权码');
    const yahoo = fixFor('auth_failed', findProviderById('yahoo'));
    expect(yahoo.en.startsWith(GENERIC_FIXES.auth_failed.en)).toBe(true);
    expect(yahoo.en).toContain(findProviderById('yahoo')!.help.en);
    expect(fixFor('connect_refused', findProviderById('qq'))).toEqual(GENERIC_FIXES.connect_refused);
  });

  it('finds the provider by its host when no providerId is given', () => {
    expect(resolveProvider(undefined, 'imap.qq.com', undefined)?.id).toBe('qq');
    expect(resolveProvider('custom', 'IMAP.163.COM', undefined)?.id).toBe('netease163');
    expect(resolveProvider(undefined, 'mail.example.com', undefined)).toBeUndefined();
    // Proton Mail Bridge's 127.0.0.1 is every local server's address: it names no provider.
    expect(resolveProvider(undefined, '127.0.0.1', undefined)).toBeUndefined();
    expect(resolveProvider('custom', '127.0.0.1', undefined)).toBeUndefined();
    expect(resolveProvider('proton_bridge', '127.0.0.1', undefined)?.id).toBe('proton_bridge');
  });

  it('gives the providers added to the catalogue their own fixes', () => {
    for (const id of ['netease_vip163', 'netease_vip126', 'netease188', 'netease_vip188']) {
      expect(fixFor('auth_failed', findProviderById(id))['zh-CN'], id).toContain('授权码');
      expect(fixFor('unsafe_login_needs_id', findProviderById(id)).en, id).toContain('IMAP ID');
    }
    const bridge = findProviderById('proton_bridge');
    expect(fixFor('tls_untrusted_certificate', bridge).en).toContain('Export TLS certificates');
    expect(fixFor('host_not_allowed', bridge).en).toContain('TIDINGS_ALLOW_LOCAL_MAIL_HOSTS=true');
    expect(fixFor('auth_failed', bridge)['zh-CN']).toContain('Bridge 密码');
    expect(fixFor('connect_refused', bridge).en).toContain('1143');
    // Without a specific fix, the catalogue's help follows the generic one (Yahoo! JAPAN's access setting).
    expect(fixFor('auth_failed', findProviderById('yahoo_japan')).en).toContain('IMAP/POP/SMTP access');
  });

  it('quotes the server reply in both languages', () => {
    const failure = explainFailure(Object.assign(new ProbeError('auth_failed', { reply: 'NO Login fail.' }), { stage: 'auth' as const }), {
      protocol: 'imap',
      host: 'imap.qq.com',
      port: 993,
      providerId: undefined,
      timeoutMs: 10_000,
    });
    expect(failure.message.en).toContain('“NO Login fail.”');
    expect(failure.message['zh-CN']).toContain('服务器回复:“NO Login fail.”');
    expect(failure.fix.en).toContain('16-character authorization code');
  });
});

describe('wire helpers', () => {
  it('quotes IMAP strings and refuses what needs a literal', () => {
    expect(imapQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(imapQuote('pässword')).toBeNull();
    expect(imapQuote('line\r\nbreak')).toBeNull();
  });

  it('reads SASL mechanisms from both EHLO forms', () => {
    expect(authMechanisms(['PIPELINING', 'AUTH PLAIN LOGIN', 'AUTH=LOGIN XOAUTH2'])).toEqual(['PLAIN', 'LOGIN', 'XOAUTH2']);
  });
});
