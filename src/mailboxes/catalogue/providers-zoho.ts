import { tls } from './server-settings.ts';
import type { CatalogueEntry } from './types.ts';

const sources = [
  'https://www.zoho.com/mail/help/imap-access.html',
  'https://www.zoho.com/mail/help/zoho-smtp.html',
  'https://www.zoho.com/mail/help/adminconsole/two-factor-authentication.html',
];

/**
 * Zoho runs one data centre per region; the account lives in one and only its hosts accept it. `base` is
 * the data centre's domain: imap.<base>, smtp.<base>, and for organisation accounts imappro/smtppro.<base>.
 */
function zoho(id: string, region: string, base: string, domains: string[], regionZh: string): CatalogueEntry {
  return {
    id,
    name: { en: `Zoho Mail (${region})`, 'zh-CN': `Zoho 邮箱(${regionZh})` },
    kind: 'public',
    match: { domains, mxPatterns: [`.${base}`] },
    imap: tls(`imap.${base}`, 993),
    smtp: tls(`smtp.${base}`, 465),
    // Organisation (own-domain) accounts use the "pro" hosts.
    customDomain: {
      imap: tls(`imappro.${base}`, 993),
      smtp: tls(`smtppro.${base}`, 465),
    },
    username: 'email',
    signIn: { secrets: ['app_password', 'password'], notYet: ['provider_oauth'] },
    quirks: ['imap_must_be_enabled'],
    help: {
      en: `Settings › Mail Accounts › IMAP Access: tick IMAP Access. With two-factor authentication on, create an application-specific password at accounts.${base} › Security › App Passwords. Personal addresses use imap.${base}; addresses on your own domain use imappro.${base} / smtppro.${base}.`,
      'zh-CN': `设置 › 邮件账户 › IMAP 访问:勾选“IMAP 访问”。若开启了两步验证,请在 accounts.${base} › 安全 › 应用专用密码 中生成一个。个人地址使用 imap.${base};企业自有域名地址使用 imappro.${base} / smtppro.${base}。`,
    },
    authHelp: {
      en: 'With two-factor authentication on, use an application-specific password.',
      'zh-CN': '开启两步验证后,请填写应用专用密码。',
    },
    // Thunderbird's ISPDB records every data centre's domains and hosts except China's.
    sources: base === 'zoho.com.cn' ? sources : [...sources, `https://github.com/thunderbird/autoconfig/blob/master/ispdb/${base}.xml`],
  };
}

export const zohoCom = zoho('zoho_com', 'zoho.com', 'zoho.com', ['zoho.com', 'zohomail.com'], '国际站');
export const zohoEu = zoho('zoho_eu', 'EU', 'zoho.eu', ['zoho.eu', 'zohomail.eu'], '欧洲');
export const zohoIn = zoho('zoho_in', 'India', 'zoho.in', ['zoho.in', 'zohomail.in'], '印度');
export const zohoCn = zoho('zoho_cn', 'China', 'zoho.com.cn', ['zoho.com.cn'], '中国');
export const zohoJp = zoho('zoho_jp', 'Japan', 'zoho.jp', ['zoho.jp', 'zohomail.jp'], '日本');
export const zohoAu = zoho('zoho_au', 'Australia', 'zoho.com.au', ['zoho.com.au', 'zohomail.com.au'], '澳大利亚');
export const zohoCa = zoho('zoho_ca', 'Canada', 'zohocloud.ca', ['zohocloud.ca', 'zohomailcloud.ca'], '加拿大');
