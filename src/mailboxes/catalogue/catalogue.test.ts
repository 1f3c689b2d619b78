import { describe, expect, it } from 'vitest';
import { findProviderById, matchProviderByDomain, matchProviderByMx, providers } from './index.ts';

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

describe('provider catalogue', () => {
  it('has unique ids and the providers the binding form offers', () => {
    const ids = providers.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'gmail',
      'outlook',
      'microsoft365',
      'exchange',
      'icloud',
      'yahoo',
      'qq',
      'exmail',
      'netease163',
      'netease126',
      'yeah',
      'netease_qiye',
      'aliyun_qiye',
      'aliyun',
      'sina',
      'sohu',
      'zoho_com',
      'zoho_eu',
      'zoho_in',
      'zoho_cn',
      'fastmail',
      'yandex',
      'custom',
    ]) {
      expect(findProviderById(id)?.id, id).toBe(id);
    }
    expect(findProviderById('nope')).toBeUndefined();
  });

  it.each(providers.map((p) => [p.id, p] as const))('%s: sources, both languages, valid servers', (_id, p) => {
    expect(p.sources.length).toBeGreaterThan(0);
    for (const url of p.sources) expect(new URL(url).protocol).toBe('https:');
    for (const text of [p.name, p.help, ...(p.authHelp ? [p.authHelp] : [])]) {
      expect(text.en.trim()).not.toBe('');
      expect(text['zh-CN'].trim()).not.toBe('');
    }
    expect(hasHan(p.help['zh-CN'])).toBe(true);
    expect(hasHan(p.help.en)).toBe(false);
    expect(p.auth.length).toBeGreaterThan(0);
    const settings = [p.imap, p.smtp, p.customDomain?.imap, p.customDomain?.smtp].filter((s) => s !== undefined);
    for (const s of settings) {
      expect(Number.isInteger(s.port) && s.port > 0 && s.port < 65536).toBe(true);
      expect(s.host).toMatch(/^[a-z0-9.-]+$/);
      expect(s.security).not.toBe('plain'); // no provider is reached without TLS
      if (s.port === 993 || s.port === 465) expect(s.security).toBe('tls');
      if (s.port === 587) expect(s.security).toBe('starttls');
    }
    // Hosts come in pairs: a provider with IMAP also sends by SMTP.
    expect(p.imap === undefined).toBe(p.smtp === undefined);
    for (const d of p.match.domains) expect(d).toBe(d.toLowerCase());
  });

  it('lists the quirks the connectors depend on', () => {
    expect(findProviderById('netease163')?.quirks).toContain('sends_imap_id');
    expect(findProviderById('qq')?.auth).toEqual(['authorization_code']);
    expect(findProviderById('exmail')?.quirks).toContain('admin_must_allow_client_access');
    expect(findProviderById('outlook')?.quirks).toContain('password_login_closed');
    expect(findProviderById('exchange')?.quirks).toContain('ews_only');
    expect(findProviderById('exchange')?.imap).toBeUndefined();
    expect(findProviderById('gmail')?.quirks).toContain('gmail_extensions');
  });
});

describe('matching', () => {
  it('matches providers by their own mail domains', () => {
    expect(matchProviderByDomain('qq.com')?.id).toBe('qq');
    expect(matchProviderByDomain('FOXMAIL.COM.')?.id).toBe('qq');
    expect(matchProviderByDomain('163.com')?.id).toBe('netease163');
    expect(matchProviderByDomain('yeah.net')?.id).toBe('yeah');
    expect(matchProviderByDomain('hotmail.com')?.id).toBe('outlook');
    expect(matchProviderByDomain('zohomail.eu')?.id).toBe('zoho_eu');
    expect(matchProviderByDomain('example.com')).toBeUndefined();
    expect(matchProviderByDomain('')).toBeUndefined();
    // Not a suffix match: a company domain under qq.com is not QQ Mail.
    expect(matchProviderByDomain('corp.qq.com')).toBeUndefined();
  });

  it('recognises company domains by MX', () => {
    expect(matchProviderByMx(['mxbiz1.qq.com.', 'mxbiz2.qq.com'])?.id).toBe('exmail');
    expect(matchProviderByMx(['mx1.qq.com'])?.id).toBe('qq');
    expect(matchProviderByMx(['contoso-com.mail.protection.outlook.com'])?.id).toBe('microsoft365');
    expect(matchProviderByMx(['outlook-com.olc.protection.outlook.com'])?.id).toBe('outlook');
    expect(matchProviderByMx(['ASPMX.L.GOOGLE.COM', 'alt1.aspmx.l.google.com'])?.id).toBe('gmail');
    expect(matchProviderByMx(['smtp.google.com'])?.id).toBe('gmail');
    expect(matchProviderByMx(['mxw.mxhichina.com', 'mxn.mxhichina.com'])?.id).toBe('aliyun_qiye');
    expect(matchProviderByMx(['qiye163mx01.mxmail.netease.com'])?.id).toBe('netease_qiye');
    expect(matchProviderByMx(['mx.zoho.com.cn'])?.id).toBe('zoho_cn');
    expect(matchProviderByMx(['mx2.zoho.eu'])?.id).toBe('zoho_eu');
    expect(matchProviderByMx(['in1-smtp.messagingengine.com'])?.id).toBe('fastmail');
  });

  it('takes the first MX host that any provider claims, and rejects look-alikes', () => {
    expect(matchProviderByMx(['mail.example.com', 'mxbiz1.qq.com'])?.id).toBe('exmail');
    expect(matchProviderByMx(['evilgoogle.com'])).toBeUndefined();
    expect(matchProviderByMx(['mxbiz1.qq.com.evil.test'])).toBeUndefined();
    expect(matchProviderByMx([])).toBeUndefined();
  });
});
