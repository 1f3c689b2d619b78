import type { Provider } from './types.ts';

const sources = [
  'https://www.zoho.com/mail/help/imap-access.html',
  'https://www.zoho.com/mail/help/zoho-smtp.html',
  'https://www.zoho.com/mail/help/adminconsole/two-factor-authentication.html',
];

/** Zoho runs one data centre per region; the account lives in one and only its hosts accept it. */
function zoho(id: string, region: string, tld: string, domains: string[], regionZh: string): Provider {
  return {
    id,
    name: { en: `Zoho Mail (${region})`, 'zh-CN': `Zoho 邮箱(${regionZh})` },
    kind: 'public',
    match: { domains, mxPatterns: [`.zoho.${tld}`] },
    imap: { host: `imap.zoho.${tld}`, port: 993, security: 'tls' },
    smtp: { host: `smtp.zoho.${tld}`, port: 465, security: 'tls' },
    // Organisation (own-domain) accounts use the "pro" hosts.
    customDomain: {
      imap: { host: `imappro.zoho.${tld}`, port: 993, security: 'tls' },
      smtp: { host: `smtppro.zoho.${tld}`, port: 465, security: 'tls' },
    },
    username: 'email',
    auth: ['app_password', 'password', 'oauth2'],
    quirks: ['imap_must_be_enabled'],
    help: {
      en: `Settings › Mail Accounts › IMAP Access: tick IMAP Access. With two-factor authentication on, create an application-specific password at accounts.zoho.${tld} › Security › App Passwords. Personal addresses use imap.zoho.${tld}; addresses on your own domain use imappro.zoho.${tld} / smtppro.zoho.${tld}.`,
      'zh-CN': `设置 › 邮件账户 › IMAP 访问:勾选“IMAP 访问”。若开启了两步验证,请在 accounts.zoho.${tld} › 安全 › 应用专用密码 中生成一个。个人地址使用 imap.zoho.${tld};企业自有域名地址使用 imappro.zoho.${tld} / smtppro.zoho.${tld}。`,
    },
    authHelp: {
      en: 'With two-factor authentication on, use an application-specific password.',
      'zh-CN': '开启两步验证后,请填写应用专用密码。',
    },
    sources,
  };
}

export const zohoCom = zoho('zoho_com', 'zoho.com', 'com', ['zoho.com', 'zohomail.com'], '国际站');
export const zohoEu = zoho('zoho_eu', 'EU', 'eu', ['zoho.eu', 'zohomail.eu'], '欧洲');
export const zohoIn = zoho('zoho_in', 'India', 'in', ['zoho.in', 'zohomail.in'], '印度');
export const zohoCn = zoho('zoho_cn', 'China', 'com.cn', ['zoho.com.cn'], '中国');
