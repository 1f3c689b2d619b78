import { gmxComDomains, gmxNetDomains, mailComDomains, mailRuDomains, yandexDomains } from './country-domains.ts';
import { tls } from './server-settings.ts';
import type { CatalogueEntry, LocalText } from './types.ts';

export const yandex: CatalogueEntry = {
  id: 'yandex',
  name: { en: 'Yandex Mail', 'zh-CN': 'Yandex 邮箱' },
  kind: 'public',
  match: { domains: yandexDomains, mxPatterns: ['.yandex.net', '.yandex.ru'] },
  imap: tls('imap.yandex.com', 993),
  smtp: tls('smtp.yandex.com', 465),
  username: 'email',
  signIn: { secrets: ['app_password'], notYet: ['provider_oauth'] },
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'Mail › All settings › Email clients: allow access "From the imap.yandex.com server via IMAP" and "App passwords and OAuth tokens"; then Yandex ID › Security › App passwords › Mail.',
    'zh-CN':
      '邮箱 › 所有设置 › 邮件客户端:勾选“通过 IMAP 访问 imap.yandex.com”和“应用密码与 OAuth 令牌”;再到 Yandex ID › 安全 › 应用密码 › 邮件 生成密码。',
  },
  authHelp: {
    en: 'Use the app password for Mail, not your Yandex password.',
    'zh-CN': '请填写“邮件”类应用密码,而不是 Yandex 账户密码。',
  },
  sources: [
    'https://yandex.com/support/mail/mail-clients/others.html',
    'https://yandex.com/support/id/authorization/app-passwords.html',
    'https://github.com/thunderbird/autoconfig/blob/master/ispdb/yandex.ru.xml',
  ],
};

export const mailRu: CatalogueEntry = {
  id: 'mail_ru',
  name: { en: 'Mail.ru', 'zh-CN': 'Mail.ru 邮箱' },
  kind: 'public',
  match: { domains: mailRuDomains, mxPatterns: [] },
  imap: tls('imap.mail.ru', 993),
  smtp: tls('smtp.mail.ru', 465),
  username: 'email',
  signIn: { secrets: ['app_password'], notYet: ['provider_oauth'] },
  quirks: [],
  help: {
    en: 'Mail.ru account › Security › Passwords for external applications › Add: create one with access to mail (IMAP, SMTP) for Tidings.',
    'zh-CN': 'Mail.ru 账户 › 安全 › 外部应用密码 › 添加:为 Tidings 生成一个可访问邮件(IMAP、SMTP)的密码。',
  },
  authHelp: {
    en: 'Use the password for external applications, not your Mail.ru password.',
    'zh-CN': '请填写外部应用密码,而不是 Mail.ru 账户密码。',
  },
  sources: [
    'https://help.mail.ru/mail/security/protection/external/',
    'https://github.com/thunderbird/autoconfig/blob/master/ispdb/mail.ru.xml',
  ],
};

/** GMX, WEB.DE and mail.com (one company, 1&1 Mail & Media) switch POP3/IMAP off until the user turns it on. */
const unitedHelp = (brand: string, settingsPath: string, zhPath: string): LocalText => ({
  en: `In ${brand} on the web: ${settingsPath}: allow POP3 and IMAP access, then save. With two-factor authentication on, create an application-specific password (My Account › Security) and use it here.`,
  'zh-CN': `登录网页版 ${brand}:${zhPath}:允许 POP3 与 IMAP 访问并保存。若开启了双重认证,请在 我的账户 › 安全 中生成应用专用密码并填写在这里。`,
});
const unitedAuthHelp: LocalText = {
  en: 'Your mailbox password; with two-factor authentication on, an application-specific password.',
  'zh-CN': '填写邮箱密码;开启双重认证后,请填写应用专用密码。',
};

export const gmx: CatalogueEntry = {
  id: 'gmx',
  name: { en: 'GMX (gmx.net, gmx.de)', 'zh-CN': 'GMX(gmx.net、gmx.de)' },
  kind: 'public',
  match: { domains: gmxNetDomains, mxPatterns: [] },
  imap: tls('imap.gmx.net', 993),
  smtp: tls('mail.gmx.net', 465),
  username: 'email',
  signIn: { secrets: ['password', 'app_password'] },
  quirks: ['imap_must_be_enabled'],
  help: unitedHelp('GMX', 'E-Mail › Settings › POP3/IMAP', 'E-Mail › 设置 › POP3/IMAP'),
  authHelp: unitedAuthHelp,
  sources: [
    'https://hilfe.gmx.net/sicherheit/2fa/anwendungsspezifisches-passwort.html',
    'https://github.com/thunderbird/autoconfig/blob/master/ispdb/gmx.net.xml',
  ],
};

export const gmxCom: CatalogueEntry = {
  id: 'gmx_com',
  name: { en: 'GMX (gmx.com and other countries)', 'zh-CN': 'GMX(gmx.com 及其他国家)' },
  kind: 'public',
  match: { domains: gmxComDomains, mxPatterns: [] },
  imap: tls('imap.gmx.com', 993),
  smtp: tls('mail.gmx.com', 465),
  username: 'email',
  signIn: { secrets: ['password', 'app_password'] },
  quirks: ['imap_must_be_enabled'],
  help: unitedHelp('GMX', 'E-mail › Settings › POP3 & IMAP', 'E-mail › 设置 › POP3 & IMAP'),
  authHelp: unitedAuthHelp,
  sources: ['https://support.gmx.com/', 'https://github.com/thunderbird/autoconfig/blob/master/ispdb/gmx.com.xml'],
};

export const webDe: CatalogueEntry = {
  id: 'web_de',
  name: { en: 'WEB.DE', 'zh-CN': 'WEB.DE' },
  kind: 'public',
  match: { domains: ['web.de'], mxPatterns: [] },
  imap: tls('imap.web.de', 993),
  smtp: tls('smtp.web.de', 465),
  username: 'email',
  signIn: { secrets: ['password', 'app_password'] },
  quirks: ['imap_must_be_enabled'],
  help: unitedHelp('WEB.DE', 'E-Mail › Settings › POP3/IMAP', 'E-Mail › 设置 › POP3/IMAP'),
  authHelp: {
    en: 'Your WEB.DE password (if the full address is refused, try the part before @); with two-factor authentication on, an application-specific password.',
    'zh-CN': '填写 WEB.DE 密码(若完整地址被拒绝,可只填 @ 前面的部分);开启双重认证后,请填写应用专用密码。',
  },
  sources: ['https://hilfe.web.de/pop-imap/index.html', 'https://github.com/thunderbird/autoconfig/blob/master/ispdb/web.de.xml'],
};

export const mailCom: CatalogueEntry = {
  id: 'mail_com',
  name: { en: 'mail.com', 'zh-CN': 'mail.com' },
  kind: 'public',
  match: { domains: mailComDomains, mxPatterns: [] },
  imap: tls('imap.mail.com', 993),
  smtp: tls('smtp.mail.com', 465),
  username: 'email',
  signIn: { secrets: ['password', 'app_password'] },
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'In mail.com on the web: E-mail › Settings › POP3 & IMAP: allow POP3 and IMAP access (mail.com may offer it only with a paid plan), then save. With two-factor authentication on, create an application-specific password and use it here.',
    'zh-CN':
      '登录网页版 mail.com:E-mail › 设置 › POP3 & IMAP:允许 POP3 与 IMAP 访问并保存(mail.com 可能只在付费套餐中提供)。若开启了双重认证,请生成应用专用密码并填写在这里。',
  },
  authHelp: unitedAuthHelp,
  sources: ['https://support.mail.com/', 'https://github.com/thunderbird/autoconfig/blob/master/ispdb/mail.com.xml'],
};
