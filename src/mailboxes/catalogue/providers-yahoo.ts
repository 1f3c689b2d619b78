import { aolDomains, yahooDomains } from './country-domains.ts';
import { tls } from './server-settings.ts';
import type { CatalogueEntry } from './types.ts';

export const yahoo: CatalogueEntry = {
  id: 'yahoo',
  name: { en: 'Yahoo Mail', 'zh-CN': '雅虎邮箱' },
  kind: 'public',
  match: {
    domains: yahooDomains,
    // Yahoo's MX (mta5.am0.yahoodns.net); AOL's more specific one is claimed by the aol entry.
    mxPatterns: ['.yahoodns.net'],
  },
  imap: tls('imap.mail.yahoo.com', 993),
  smtp: tls('smtp.mail.yahoo.com', 465),
  username: 'email',
  signIn: { secrets: ['app_password'], notYet: ['provider_oauth'] },
  quirks: ['password_login_closed'],
  help: {
    en: 'Yahoo Account › Account security › Generate app password; create one for Tidings.',
    'zh-CN': '在 雅虎账户 › 账户安全 › 生成应用密码,为 Tidings 生成一个。',
  },
  authHelp: {
    en: 'Use the app password, not your Yahoo password.',
    'zh-CN': '请填写应用密码,而不是雅虎账户密码。',
  },
  sources: [
    'https://help.yahoo.com/kb/SLN4075.html',
    'https://help.yahoo.com/kb/SLN15241.html',
    'https://github.com/thunderbird/autoconfig/blob/master/ispdb/yahoo.com.xml',
  ],
};

/** Yahoo! JAPAN is a separate company from Yahoo: its own accounts (Yahoo! JAPAN ID) and mail servers. */
export const yahooJapan: CatalogueEntry = {
  id: 'yahoo_japan',
  name: { en: 'Yahoo! JAPAN Mail', 'zh-CN': '日本雅虎邮箱(Yahoo! JAPAN)' },
  kind: 'public',
  match: { domains: ['yahoo.co.jp', 'ymail.ne.jp'], mxPatterns: ['.mail.yahoo.co.jp'] },
  imap: tls('imap.mail.yahoo.co.jp', 993),
  smtp: tls('smtp.mail.yahoo.co.jp', 465),
  // Mail apps sign in with the Yahoo! JAPAN ID: for a yahoo.co.jp address usually the part before @.
  username: 'local_part',
  signIn: { secrets: ['password'] },
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'In Yahoo! JAPAN Mail on the web: Settings › IMAP/POP/SMTP access: allow access from services other than Yahoo! JAPAN’s own, then save. An ID whose password sign-in is turned off cannot be used by mail apps.',
    'zh-CN':
      '登录网页版日本雅虎邮箱:设置 › IMAP/POP/SMTP 访问:允许 Yahoo! JAPAN 官方服务以外的访问,然后保存。关闭了密码登录的 Yahoo! JAPAN ID 无法在邮件客户端中使用。',
  },
  authHelp: {
    en: 'User name: your Yahoo! JAPAN ID (for a yahoo.co.jp address usually the part before @). Password: the password of that ID.',
    'zh-CN': '用户名:Yahoo! JAPAN ID(yahoo.co.jp 地址通常就是 @ 前面的部分);密码:该 ID 的登录密码。',
  },
  sources: ['https://support.yahoo-net.jp/PccMail/s/', 'https://github.com/thunderbird/autoconfig/blob/master/ispdb/yahoo.co.jp.xml'],
};

export const aol: CatalogueEntry = {
  id: 'aol',
  name: { en: 'AOL Mail', 'zh-CN': 'AOL 邮箱' },
  kind: 'public',
  match: { domains: aolDomains, mxPatterns: ['.mail.gm0.yahoodns.net'] },
  imap: tls('imap.aol.com', 993),
  smtp: tls('smtp.aol.com', 465),
  username: 'email',
  signIn: { secrets: ['app_password'], notYet: ['provider_oauth'] },
  quirks: ['password_login_closed'],
  help: {
    en: 'AOL Account › Account security › Generate app password (2-step verification may have to be on); create one for Tidings.',
    'zh-CN': '在 AOL 账户 › 账户安全 › 生成应用密码(可能需要先开启两步验证),为 Tidings 生成一个。',
  },
  authHelp: {
    en: 'Use the app password, not your AOL password.',
    'zh-CN': '请填写应用密码,而不是 AOL 账户密码。',
  },
  sources: [
    'https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail',
    'https://github.com/thunderbird/autoconfig/blob/master/ispdb/aol.com.xml',
  ],
};
