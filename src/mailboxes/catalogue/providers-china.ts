import type { Provider, ServerSetting } from './types.ts';

const tls = (host: string, port: number): ServerSetting => ({ host, port, security: 'tls' });

export const qq: Provider = {
  id: 'qq',
  name: { en: 'QQ Mail', 'zh-CN': 'QQ 邮箱' },
  kind: 'public',
  match: { domains: ['qq.com', 'foxmail.com', 'vip.qq.com'], mxPatterns: ['mx1.qq.com', 'mx2.qq.com', 'mx3.qq.com'] },
  imap: tls('imap.qq.com', 993),
  smtp: tls('smtp.qq.com', 465),
  username: 'email',
  auth: ['authorization_code'],
  // Since November 2022 third-party clients sign in only with an authorization code.
  quirks: ['imap_must_be_enabled', 'password_login_closed'],
  help: {
    en: 'In QQ Mail on the web: Settings › Account › POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV service › turn on IMAP/SMTP, verify by phone or WeChat, then Generate authorization code.',
    'zh-CN':
      '登录网页版 QQ 邮箱:设置 › 账户 › POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV服务 › 开启 IMAP/SMTP 服务,按提示用手机或微信验证后点击“生成授权码”。',
  },
  authHelp: {
    en: 'Use the 16-character authorization code, not the QQ password.',
    'zh-CN': '请填写 16 位授权码,而不是 QQ 密码或独立密码。',
  },
  sources: ['https://service.mail.qq.com/', 'https://wx.mail.qq.com/list/readtemplate?name=app_intro.html#/agreement/authorizationCode'],
};

export const exmail: Provider = {
  id: 'exmail',
  name: { en: 'Tencent Exmail (WeCom mail)', 'zh-CN': '腾讯企业邮箱' },
  kind: 'china_enterprise',
  match: { domains: [], mxPatterns: ['mxbiz1.qq.com', 'mxbiz2.qq.com'] },
  imap: tls('imap.exmail.qq.com', 993),
  smtp: tls('smtp.exmail.qq.com', 465),
  username: 'email',
  auth: ['app_password', 'password'],
  quirks: ['admin_must_allow_client_access', 'imap_must_be_enabled'],
  help: {
    en: 'Admin: in the WeCom admin console, Collaboration › Security management › Client access restriction › allow Exchange/IMAP/SMTP for this member. Member: Settings › Client settings › turn on IMAP/SMTP service; with Secure login on, generate a client-specific password under Settings › Mailbox binding.',
    'zh-CN':
      '管理员:在企业微信管理后台 协作 › 安全管理 › 客户端访问限制 中,把该成员加入 Exchange/IMAP/SMTP 服务范围。成员:设置 › 客户端设置 › 开启 IMAP/SMTP 服务;若已开启“安全登录”,在 设置 › 邮箱绑定 中生成客户端专用密码。',
  },
  authHelp: {
    en: 'If Secure login is on, use the client-specific password, not your mailbox password.',
    'zh-CN': '开启“安全登录”后,请填写客户端专用密码,而不是邮箱登录密码。',
  },
  sources: ['https://service.exmail.qq.com/', 'https://work.weixin.qq.com/'],
};

const netEaseHelpEn = (site: string) =>
  `In ${site} on the web: Settings › POP3/SMTP/IMAP › turn on IMAP/SMTP service, verify by text message, and copy the authorization code (shown only once).`;
const netEaseHelpZh = (site: string) =>
  `登录网页版 ${site} 邮箱:设置 › POP3/SMTP/IMAP › 开启 IMAP/SMTP 服务,按提示发送短信验证后复制授权码(只显示一次)。`;
const netEaseAuthHelp = {
  en: 'Use the authorization code, not your mailbox password.',
  'zh-CN': '请填写授权码,而不是邮箱登录密码。',
};
const netEaseSources = ['https://help.mail.163.com/', 'https://www.rfc-editor.org/rfc/rfc2971'];

/** 163, 126 and yeah.net share one platform: same settings page, same IMAP ID requirement. */
function netEase(id: string, domain: string, zh: string): Provider {
  return {
    id,
    name: { en: `NetEase ${domain}`, 'zh-CN': zh },
    kind: 'public',
    match: { domains: [domain], mxPatterns: [] },
    imap: tls(`imap.${domain}`, 993),
    smtp: tls(`smtp.${domain}`, 465),
    username: 'email',
    auth: ['authorization_code'],
    quirks: ['sends_imap_id', 'imap_must_be_enabled'],
    help: { en: netEaseHelpEn(domain), 'zh-CN': netEaseHelpZh(domain) },
    authHelp: netEaseAuthHelp,
    sources: netEaseSources,
  };
}

export const netease163 = netEase('netease163', '163.com', '网易 163 邮箱');
export const netease126 = netEase('netease126', '126.com', '网易 126 邮箱');
export const yeah = netEase('yeah', 'yeah.net', '网易 yeah.net 邮箱');

export const neteaseQiye: Provider = {
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
  auth: ['password', 'authorization_code'],
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

export const aliyunQiye: Provider = {
  id: 'aliyun_qiye',
  name: { en: 'Alibaba Mail (Aliyun enterprise)', 'zh-CN': '阿里企业邮箱' },
  kind: 'china_enterprise',
  match: { domains: [], mxPatterns: ['.mxhichina.com', '.qiye.aliyun.com'] },
  imap: tls('imap.qiye.aliyun.com', 993),
  smtp: tls('smtp.qiye.aliyun.com', 465),
  username: 'email',
  auth: ['password', 'app_password'],
  quirks: ['admin_must_allow_client_access'],
  help: {
    en: 'Settings › Mail clients (POP/IMAP/SMTP): make sure IMAP/SMTP is on. If your admin requires a third-party client security password, generate it under Settings › Account and security and use it here.',
    'zh-CN':
      '设置 › 客户端设置(POP/IMAP/SMTP):确认已开启 IMAP/SMTP。若管理员要求使用“三方客户端安全密码”,请在 设置 › 账户与安全 中生成后填写。',
  },
  authHelp: {
    en: 'Your mailbox password, or the third-party client security password if your company requires one.',
    'zh-CN': '填写邮箱密码;若公司要求,则填写三方客户端安全密码。',
  },
  sources: ['https://help.aliyun.com/zh/alimail/'],
};

export const aliyun: Provider = {
  id: 'aliyun',
  name: { en: 'Aliyun Mail (personal)', 'zh-CN': '阿里邮箱(个人版)' },
  kind: 'public',
  match: { domains: ['aliyun.com'], mxPatterns: [] },
  imap: tls('imap.aliyun.com', 993),
  smtp: tls('smtp.aliyun.com', 465),
  username: 'email',
  auth: ['password'],
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'Settings › Account › POP3/SMTP and IMAP/SMTP: turn on IMAP/SMTP service.',
    'zh-CN': '设置 › 账户 › POP3/SMTP 和 IMAP/SMTP:开启 IMAP/SMTP 服务。',
  },
  sources: ['https://mail.aliyun.com/', 'https://help.aliyun.com/zh/alimail/'],
};

export const sina: Provider = {
  id: 'sina',
  name: { en: 'Sina Mail', 'zh-CN': '新浪邮箱' },
  kind: 'public',
  match: { domains: ['sina.com', 'sina.cn'], mxPatterns: [] },
  imap: tls('imap.sina.com', 993),
  smtp: tls('smtp.sina.com', 465),
  username: 'email',
  auth: ['authorization_code'],
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'Settings › Client POP/IMAP/SMTP: turn on IMAP4/SMTP service and the authorization code, verify by phone, and copy the code.',
    'zh-CN': '设置 › 客户端 POP/IMAP/SMTP:开启 IMAP4/SMTP 服务并开启授权码,手机验证后复制授权码。',
  },
  authHelp: {
    en: 'Use the authorization code, not your Sina password.',
    'zh-CN': '请填写授权码,而不是新浪邮箱密码。',
  },
  sources: ['https://mail.sina.com.cn/', 'https://help.sina.com.cn/'],
};

export const sohu: Provider = {
  id: 'sohu',
  name: { en: 'Sohu Mail', 'zh-CN': '搜狐邮箱' },
  kind: 'public',
  match: { domains: ['sohu.com'], mxPatterns: [] },
  imap: tls('imap.sohu.com', 993),
  smtp: tls('smtp.sohu.com', 465),
  username: 'email',
  auth: ['authorization_code'],
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'Options › Settings › POP3/SMTP/IMAP: turn on the service and set the independent password (authorization code) used by mail clients.',
    'zh-CN': '选项 › 设置 › POP3/SMTP/IMAP:开启服务,并设置供客户端使用的独立密码(授权码)。',
  },
  authHelp: {
    en: 'Use the independent password (authorization code), not your Sohu password.',
    'zh-CN': '请填写独立密码(授权码),而不是搜狐邮箱登录密码。',
  },
  sources: ['https://mail.sohu.com/'],
};
