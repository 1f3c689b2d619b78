import { tls } from './server-settings.ts';
import type { CatalogueEntry, LocalText } from './types.ts';

/**
 * 163, 126, yeah.net and NetEase's paid mailboxes share one platform: hosts imap.<domain> and
 * smtp.<domain>, a code instead of the password, and the IMAP ID requirement. Only the words differ.
 */
function netEase(
  id: string,
  domain: string,
  name: LocalText,
  words: Pick<CatalogueEntry, 'help' | 'authHelp' | 'sources'>,
): CatalogueEntry {
  return {
    id,
    name,
    kind: 'public',
    match: { domains: [domain], mxPatterns: [] },
    imap: tls(`imap.${domain}`, 993),
    smtp: tls(`smtp.${domain}`, 465),
    username: 'email',
    signIn: { secrets: ['authorization_code'] },
    quirks: ['sends_imap_id', 'imap_must_be_enabled'],
    ...words,
  };
}

const netEaseAuthHelp: LocalText = {
  en: 'Use the authorization code, not your mailbox password.',
  'zh-CN': '请填写授权码,而不是邮箱登录密码。',
};
const netEaseSources = ['https://help.mail.163.com/', 'https://www.rfc-editor.org/rfc/rfc2971'];

/** The free mailboxes: an authorization code from the web settings page. */
const netEaseFree = (id: string, domain: string, zh: string): CatalogueEntry =>
  netEase(
    id,
    domain,
    { en: `NetEase ${domain}`, 'zh-CN': zh },
    {
      help: {
        en: `In ${domain} on the web: Settings › POP3/SMTP/IMAP › turn on IMAP/SMTP service, verify by text message, and copy the authorization code (shown only once).`,
        'zh-CN': `登录网页版 ${domain} 邮箱:设置 › POP3/SMTP/IMAP › 开启 IMAP/SMTP 服务,按提示发送短信验证后复制授权码(只显示一次)。`,
      },
      authHelp: netEaseAuthHelp,
      sources: netEaseSources,
    },
  );

export const netease163 = netEaseFree('netease163', '163.com', '网易 163 邮箱');
export const netease126 = netEaseFree('netease126', '126.com', '网易 126 邮箱');
export const yeah = netEaseFree('yeah', 'yeah.net', '网易 yeah.net 邮箱');

const netEaseVipAuthHelp: LocalText = {
  en: 'Use the client authorization password, not your mailbox password.',
  'zh-CN': '请填写客户端授权密码,而不是邮箱登录密码。',
};

/**
 * NetEase's paid mailboxes (VIP 163, VIP 126, 188 财富邮): the same platform as 163, with their own hosts
 * (imap.vip.163.com, imap.188.com, ...) and a client authorization password.
 */
const netEaseVip = (id: string, domain: string, name: string, zh: string): CatalogueEntry =>
  netEase(
    id,
    domain,
    { en: `NetEase ${name}`, 'zh-CN': zh },
    {
      help: {
        en: `In ${domain} mail on the web: Settings › POP3/SMTP/IMAP (client settings) › turn on IMAP/SMTP service and create a client authorization password; use it here.`,
        'zh-CN': `登录网页版 ${domain} 邮箱:设置 › POP3/SMTP/IMAP(客户端设置)› 开启 IMAP/SMTP 服务并生成客户端授权密码,将其填写在这里。`,
      },
      authHelp: netEaseVipAuthHelp,
      sources: ['https://vip.163.com/', ...netEaseSources],
    },
  );

export const neteaseVip163 = netEaseVip('netease_vip163', 'vip.163.com', 'VIP 163', '网易 VIP 163 邮箱');
export const neteaseVip126 = netEaseVip('netease_vip126', 'vip.126.com', 'VIP 126', '网易 VIP 126 邮箱');
export const netease188 = netEaseVip('netease188', '188.com', '188 Mail', '网易 188 财富邮');
export const neteaseVip188 = netEaseVip('netease_vip188', 'vip.188.com', 'VIP 188', '网易 VIP 188 邮箱');

export const neteaseQiye: CatalogueEntry = {
  id: 'netease_qiye',
  name: { en: 'NetEase Enterprise Mail', 'zh-CN': '网易企业邮箱' },
  kind: 'china_enterprise',
  match: {
    domains: [],
    mxPatterns: ['qiye163mx01.mxmail.netease.com', 'qiye163mx02.mxmail.netease.com', '.qiye.163.com'],
  },
  imap: tls('imaphz.qiye.163.com', 993),
  smtp: tls('smtphz.qiye.163.com', 465),
  username: 'email',
  signIn: { secrets: ['password', 'authorization_code'] },
  quirks: ['admin_must_allow_client_access'],
  help: {
    en: 'Settings › Client settings: turn on IMAP/SMTP. If your admin requires client authorization passwords, create one there and use it instead of the login password; the admin may also have to allow client access for your account.',
    'zh-CN':
      '设置 › 客户端设置:开启 IMAP/SMTP 服务。若管理员开启了“客户端授权密码”,请在此生成并使用它代替登录密码;管理员可能还需为你的账号允许客户端收发。',
  },
  authHelp: {
    en: 'Your mailbox password, or the client authorization password if your company turned it on.',
    'zh-CN': '填写邮箱密码;若公司开启了客户端授权密码,则填写授权密码。',
  },
  sources: ['https://qiye.163.com/help/'],
};
