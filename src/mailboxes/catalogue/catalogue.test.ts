import { describe, expect, it } from 'vitest';
import { describeSignIn, findProviderById, matchProviderByDomain, matchProviderByMx, providers } from './index.ts';

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
      'yahoo_japan',
      'aol',
      'china_mobile_139',
      'cn21',
      'tom',
      'net263',
      'netease_vip163',
      'netease_vip126',
      'netease188',
      'zoho_jp',
      'zoho_au',
      'zoho_ca',
      'gmx',
      'gmx_com',
      'web_de',
      'mail_com',
      'mail_ru',
      'ionos_de',
      'ovh',
      'godaddy',
      'rackspace',
      'proton_bridge',
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
    // A provider with no fixed servers is reached only through hosts entered by hand (or EWS, later).
    if (!p.imap) expect(['exchange', 'custom']).toContain(p.id);
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
    for (const d of p.match.domains) expect(d).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    for (const m of p.match.mxPatterns) expect(m).toMatch(/^\.?[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });

  it.each(providers.map((p) => [p.id, p] as const))('%s: says how it signs in, in both languages', (_id, p) => {
    const { oauth, secrets, notYet = [], note } = p.signIn;
    // Some way in, or an honest "not yet".
    expect(Boolean(oauth) || secrets.length > 0 || notYet.length > 0).toBe(true);
    expect(new Set(secrets).size).toBe(secrets.length);
    // The API's `auth` is exactly what signIn says: OAuth first, then the secrets.
    expect(p.auth).toEqual([...(oauth ? ['oauth2'] : []), ...secrets]);
    const text = describeSignIn(p);
    expect(text.en.trim()).not.toBe('');
    expect(hasHan(text['zh-CN'])).toBe(true);
    if (note) expect(hasHan(note['zh-CN'])).toBe(true);
    if (oauth === 'google') expect(text.en).toContain('Sign in with Google');
    if (oauth === 'microsoft') expect(text.en).toContain('Sign in with Microsoft');
    if (notYet.includes('provider_oauth')) expect(text.en).toContain('does not offer yet');
    // A secret other than the account password comes with words beside the password field.
    if (secrets.some((s) => s !== 'password')) expect(p.authHelp, 'authHelp').toBeDefined();
    // When the account password is refused, the password field must not ask for it.
    if (p.quirks.includes('password_login_closed')) expect(secrets).not.toContain('password');
  });

  it('binds Google and Microsoft mailboxes with their OAuth, and offers no OAuth it does not have', () => {
    expect(findProviderById('gmail')?.signIn).toMatchObject({ oauth: 'google', secrets: ['app_password'] });
    expect(findProviderById('gmail')?.auth).toEqual(['oauth2', 'app_password']);
    for (const id of ['outlook', 'microsoft365']) {
      expect(findProviderById(id)?.signIn, id).toMatchObject({ oauth: 'microsoft', secrets: [] });
      expect(findProviderById(id)?.auth, id).toEqual(['oauth2']);
      expect(describeSignIn(findProviderById(id)!).en, id).toContain('passwords are refused');
    }
    // Tidings has sign-in apps for Google and Microsoft only.
    const withOAuth = providers.filter((p) => p.signIn.oauth).map((p) => p.id);
    expect(withOAuth.sort()).toEqual(['gmail', 'microsoft365', 'outlook']);
    for (const id of ['yahoo', 'aol', 'yandex', 'zoho_com', 'mail_ru']) {
      expect(findProviderById(id)?.auth, id).not.toContain('oauth2');
      expect(findProviderById(id)?.signIn.notYet, id).toContain('provider_oauth');
    }
    // Microsoft 365 reads through Graph by default, Exchange Server through EWS; IMAP stays possible for both.
    expect(findProviderById('microsoft365')?.protocols).toEqual(['graph', 'imap']);
    expect(findProviderById('exchange')?.protocols).toEqual(['ews', 'imap']);
    expect(findProviderById('exchange')?.auth).toEqual(['password']);
    expect(findProviderById('exchange')?.signIn.notYet).toBeUndefined();
    expect(findProviderById('qq')?.auth).toEqual(['authorization_code']);
    expect(findProviderById('china_mobile_139')?.auth).toEqual(['authorization_code']);
    expect(findProviderById('netease_vip163')?.auth).toEqual(['authorization_code']);
  });

  it('Proton Mail Bridge is a local STARTTLS server with its own certificate and password', () => {
    const bridge = findProviderById('proton_bridge')!;
    expect(bridge.imap).toEqual({ host: '127.0.0.1', port: 1143, security: 'starttls' });
    expect(bridge.smtp).toEqual({ host: '127.0.0.1', port: 1025, security: 'starttls' });
    expect(bridge.quirks).toContain('local_bridge');
    expect(bridge.help.en).toContain('TIDINGS_ALLOW_LOCAL_MAIL_HOSTS=true');
    expect(bridge.help.en).toContain('fingerprint');
    expect(bridge.authHelp?.en).toContain('Bridge password');
    // Only the Bridge lives on loopback; every other provider names public hosts.
    const local = providers.filter((p) => [p.imap?.host, p.smtp?.host].some((h) => h === '127.0.0.1' || h === 'localhost'));
    expect(local.map((p) => p.id)).toEqual(['proton_bridge']);
  });

  it('lists the quirks the connectors depend on', () => {
    expect(findProviderById('netease163')?.quirks).toContain('sends_imap_id');
    expect(findProviderById('qq')?.auth).toEqual(['authorization_code']);
    expect(findProviderById('exmail')?.quirks).toContain('admin_must_allow_client_access');
    expect(findProviderById('outlook')?.quirks).toContain('password_login_closed');
    expect(findProviderById('exchange')?.quirks).toContain('ews_only');
    expect(findProviderById('exchange')?.imap).toBeUndefined();
    expect(findProviderById('gmail')?.quirks).toContain('gmail_extensions');
    for (const id of ['netease_vip163', 'netease_vip126', 'netease188', 'netease_vip188']) {
      expect(findProviderById(id)?.quirks, id).toContain('sends_imap_id');
    }
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

  it('claims every mail domain and every MX pattern for one provider only', () => {
    const owner = new Map<string, string>();
    for (const p of providers) {
      for (const key of [...p.match.domains, ...p.match.mxPatterns.map((m) => `MX ${m}`)]) {
        expect(owner.get(key), `${key} in ${p.id} and ${owner.get(key)}`).toBeUndefined();
        owner.set(key, p.id);
      }
    }
  });

  it('matches the country domains of Outlook.com, Yahoo, AOL and Yandex', () => {
    const outlook = findProviderById('outlook')!;
    expect(outlook.match.domains.length).toBeGreaterThanOrEqual(95);
    for (const d of ['outlook.de', 'hotmail.fr', 'live.co.uk', 'hotmail.co.jp', 'live.com.mx', 'outlook.com.br', 'msn.com', 'live.cn']) {
      expect(matchProviderByDomain(d)?.id, d).toBe('outlook');
    }
    for (const d of ['yahoo.ca', 'yahoo.it', 'yahoo.es', 'yahoo.com.au', 'yahoo.co.uk', 'ymail.com', 'myyahoo.com']) {
      expect(matchProviderByDomain(d)?.id, d).toBe('yahoo');
    }
    for (const d of ['aol.com', 'aol.co.uk', 'aim.com', 'netscape.net']) expect(matchProviderByDomain(d)?.id, d).toBe('aol');
    for (const d of ['yandex.by', 'yandex.kz', 'yandex.ua', 'ya.ru']) expect(matchProviderByDomain(d)?.id, d).toBe('yandex');
    expect(matchProviderByDomain('HOTMAIL.DE.')?.id).toBe('outlook');
    // Exact domains only: a company under a country domain is not Outlook.com.
    expect(matchProviderByDomain('corp.outlook.de')).toBeUndefined();
  });

  it('knows yahoo.co.jp is Yahoo! JAPAN, with its own servers', () => {
    const japan = matchProviderByDomain('yahoo.co.jp');
    expect(japan?.id).toBe('yahoo_japan');
    expect(japan?.imap).toEqual({ host: 'imap.mail.yahoo.co.jp', port: 993, security: 'tls' });
    expect(japan?.smtp).toEqual({ host: 'smtp.mail.yahoo.co.jp', port: 465, security: 'tls' });
    expect(findProviderById('yahoo')?.match.domains).not.toContain('yahoo.co.jp');
    expect(matchProviderByMx(['mx1.mail.yahoo.co.jp'])?.id).toBe('yahoo_japan');
  });

  it('matches the new providers by their own domains', () => {
    const cases: [string, string][] = [
      ['139.com', 'china_mobile_139'],
      ['21cn.com', 'cn21'],
      ['tom.com', 'tom'],
      ['263.net', 'net263'],
      ['vip.163.com', 'netease_vip163'],
      ['vip.126.com', 'netease_vip126'],
      ['188.com', 'netease188'],
      ['zohomail.jp', 'zoho_jp'],
      ['zoho.com.au', 'zoho_au'],
      ['zohocloud.ca', 'zoho_ca'],
      ['gmx.de', 'gmx'],
      ['gmx.com', 'gmx_com'],
      ['web.de', 'web_de'],
      ['mail.com', 'mail_com'],
      ['bk.ru', 'mail_ru'],
      ['proton.me', 'proton_bridge'],
      ['pm.me', 'proton_bridge'],
    ];
    for (const [domain, id] of cases) expect(matchProviderByDomain(domain)?.id, domain).toBe(id);
    // 163.com itself stays the free mailbox, with its own hosts.
    expect(matchProviderByDomain('163.com')?.imap?.host).toBe('imap.163.com');
    expect(matchProviderByDomain('vip.163.com')?.imap?.host).toBe('imap.vip.163.com');
  });

  it('recognises company domains by MX', () => {
    // The MX hosts a domain answers with (space-separated, in order) → the provider they mean.
    const cases: Record<string, string> = {
      'mxbiz1.qq.com. mxbiz2.qq.com': 'exmail',
      'mx1.qq.com': 'qq',
      'contoso-com.mail.protection.outlook.com': 'microsoft365',
      'outlook-com.olc.protection.outlook.com': 'outlook',
      'ASPMX.L.GOOGLE.COM alt1.aspmx.l.google.com': 'gmail',
      'smtp.google.com': 'gmail',
      'mxw.mxhichina.com mxn.mxhichina.com': 'aliyun_qiye',
      'qiye163mx01.mxmail.netease.com': 'netease_qiye',
      'mx.zoho.com.cn': 'zoho_cn',
      'mx2.zoho.eu': 'zoho_eu',
      'in1-smtp.messagingengine.com': 'fastmail',
      'mx.zoho.jp': 'zoho_jp',
      'mx.zoho.com.au': 'zoho_au',
      'mx.zohocloud.ca': 'zoho_ca',
      'mx.zoho.com': 'zoho_com',
      'eur.olc.protection.outlook.com': 'outlook',
      'mta5.am0.yahoodns.net': 'yahoo',
      'mx-aol.mail.gm0.yahoodns.net': 'aol',
      'mx00.ionos.de mx01.ionos.de': 'ionos_de',
      'mx00.kundenserver.de': 'ionos_de',
      'mx00.ionos.co.uk': 'ionos_uk',
      'mx1.mail.ovh.net': 'ovh',
      'mailstore1.secureserver.net': 'godaddy',
      'mx1.emailsrvr.com': 'rackspace',
      'mail.protonmail.ch mailsec.protonmail.ch': 'proton_bridge',
      'mx.263.net': 'net263',
    };
    for (const [mx, id] of Object.entries(cases)) expect(matchProviderByMx(mx.split(' '))?.id, mx).toBe(id);
  });

  it('takes the first MX host that any provider claims, and rejects look-alikes', () => {
    expect(matchProviderByMx(['mail.example.com', 'mxbiz1.qq.com'])?.id).toBe('exmail');
    expect(matchProviderByMx(['evilgoogle.com'])).toBeUndefined();
    expect(matchProviderByMx(['mxbiz1.qq.com.evil.test'])).toBeUndefined();
    expect(matchProviderByMx([])).toBeUndefined();
  });
});
