import { tls } from './server-settings.ts';
import type { CatalogueEntry } from './types.ts';

export const qq: CatalogueEntry = {
  id: 'qq',
  name: { en: 'QQ Mail', 'zh-CN': 'QQ 邮箱' },
  kind: 'public',
  match: { domains: ['qq.com', 'foxmail.com', 'vip.qq.com'], mxPatterns: ['mx1.qq.com', 'mx2.qq.com', 'mx3.qq.com'] },
  imap: tls('imap.qq.com', 993),
  smtp: tls('smtp.qq.com', 465),
  username: 'email',
  signIn: { secrets: ['authorization_code'] },
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

export const exmail: CatalogueEntry = {
  id: 'exmail',
  name: { en: 'Tencent Exmail (WeCom mail)', 'zh-CN': '腾讯企业邮箱' },
  kind: 'china_enterprise',
  match: { domains: [], mxPatterns: ['mxbiz1.qq.com', 'mxbiz2.qq.com'] },
  imap: tls('imap.exmail.qq.com', 993),
  smtp: tls('smtp.exmail.qq.com', 465),
  username: 'email',
  signIn: { secrets: ['app_password', 'password'] },
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

export const aliyunQiye: CatalogueEntry = {
  id: 'aliyun_qiye',
  name: { en: 'Alibaba Mail (Aliyun enterprise)', 'zh-CN': '阿里企业邮箱' },
  kind: 'china_enterprise',
  match: { domains: [], mxPatterns: ['.mxhichina.com', '.qiye.aliyun.com'] },
  imap: tls('imap.qiye.aliyun.com', 993),
  smtp: tls('smtp.qiye.aliyun.com', 465),
  username: 'email',
  signIn: { secrets: ['password', 'app_password'] },
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

export const aliyun: CatalogueEntry = {
  id: 'aliyun',
  name: { en: 'Aliyun Mail (personal)', 'zh-CN': '阿里邮箱(个人版)' },
  kind: 'public',
  match: { domains: ['aliyun.com'], mxPatterns: [] },
  imap: tls('imap.aliyun.com', 993),
  smtp: tls('smtp.aliyun.com', 465),
  username: 'email',
  signIn: { secrets: ['password'] },
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'Settings › Account › POP3/SMTP and IMAP/SMTP: turn on IMAP/SMTP service.',
    'zh-CN': '设置 › 账户 › POP3/SMTP 和 IMAP/SMTP:开启 IMAP/SMTP 服务。',
  },
  sources: ['https://mail.aliyun.com/', 'https://help.aliyun.com/zh/alimail/'],
};

export const sina: CatalogueEntry = {
  id: 'sina',
  name: { en: 'Sina Mail', 'zh-CN': '新浪邮箱' },
  kind: 'public',
  match: { domains: ['sina.com', 'sina.cn'], mxPatterns: [] },
  imap: tls('imap.sina.com', 993),
  smtp: tls('smtp.sina.com', 465),
  username: 'email',
  signIn: { secrets: ['authorization_code'] },
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

export const sohu: CatalogueEntry = {
  id: 'sohu',
  name: { en: 'Sohu Mail', 'zh-CN': '搜狐邮箱' },
  kind: 'public',
  match: { domains: ['sohu.com'], mxPatterns: [] },
  imap: tls('imap.sohu.com', 993),
  smtp: tls('smtp.sohu.com', 465),
  username: 'email',
  signIn: { secrets: ['authorization_code'] },
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

export const china139: CatalogueEntry = {
  id: 'china_mobile_139',
  name: { en: 'China Mobile 139 Mail', 'zh-CN': '中国移动 139 邮箱' },
  kind: 'public',
  match: { domains: ['139.com'], mxPatterns: [] },
  imap: tls('imap.139.com', 993),
  smtp: tls('smtp.139.com', 465),
  username: 'email',
  signIn: { secrets: ['authorization_code'] },
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'In 139 Mail on the web: Settings › POP3/SMTP/IMAP (client settings): turn on the IMAP/SMTP service, verify by text message and get the client authorization code.',
    'zh-CN': '登录网页版 139 邮箱:设置 › POP3/SMTP/IMAP(客户端设置):开启 IMAP/SMTP 服务,按提示短信验证后获取客户端授权码。',
  },
  authHelp: {
    en: 'Use the client authorization code, not your 139 Mail password.',
    'zh-CN': '请填写客户端授权码,而不是 139 邮箱登录密码。',
  },
  sources: ['https://mail.10086.cn/', 'https://help.mail.10086.cn/'],
};

export const cn21: CatalogueEntry = {
  id: 'cn21',
  name: { en: '21CN Mail', 'zh-CN': '21CN 邮箱' },
  kind: 'public',
  match: { domains: ['21cn.com'], mxPatterns: [] },
  imap: tls('imap.21cn.com', 993),
  smtp: tls('smtp.21cn.com', 465),
  username: 'email',
  signIn: { secrets: ['authorization_code', 'password'] },
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'In 21CN Mail on the web: Settings › POP3/SMTP/IMAP: turn on the IMAP/SMTP service. If it offers a client authorization code, create one and use it here instead of the password.',
    'zh-CN': '登录网页版 21CN 邮箱:设置 › POP3/SMTP/IMAP:开启 IMAP/SMTP 服务。若页面提供客户端授权码,请生成并用它代替密码填写在这里。',
  },
  authHelp: {
    en: 'The client authorization code if 21CN Mail gave you one, otherwise your mailbox password.',
    'zh-CN': '若 21CN 邮箱提供了客户端授权码,请填写授权码;否则填写邮箱密码。',
  },
  sources: ['https://mail.21cn.com/'],
};

export const tom: CatalogueEntry = {
  id: 'tom',
  name: { en: 'TOM Mail', 'zh-CN': 'TOM 邮箱' },
  kind: 'public',
  match: { domains: ['tom.com'], mxPatterns: [] },
  imap: tls('imap.tom.com', 993),
  smtp: tls('smtp.tom.com', 465),
  username: 'email',
  signIn: { secrets: ['password', 'authorization_code'] },
  quirks: ['imap_must_be_enabled'],
  help: {
    en: 'In TOM Mail on the web: Settings › POP3/SMTP/IMAP: turn on the IMAP/SMTP service; if it offers a client authorization code, use that instead of the password.',
    'zh-CN': '登录网页版 TOM 邮箱:设置 › POP3/SMTP/IMAP:开启 IMAP/SMTP 服务;若页面提供客户端授权码,请用它代替密码。',
  },
  authHelp: {
    en: 'Your mailbox password, or the client authorization code if TOM Mail gave you one.',
    'zh-CN': '填写邮箱密码;若 TOM 邮箱提供了客户端授权码,则填写授权码。',
  },
  sources: ['https://mail.tom.com/'],
};

export const net263: CatalogueEntry = {
  id: 'net263',
  name: { en: '263 Enterprise Mail', 'zh-CN': '263 企业邮箱' },
  kind: 'china_enterprise',
  // Company domains are hosted under 263.net / 263xmail.com MX hosts.
  match: { domains: ['263.net'], mxPatterns: ['.263.net', '.263xmail.com'] },
  imap: tls('imap.263.net', 993),
  smtp: tls('smtp.263.net', 465),
  username: 'email',
  signIn: { secrets: ['password'] },
  quirks: ['admin_must_allow_client_access'],
  help: {
    en: 'Use the full address and the mailbox password. The administrator may restrict client (IMAP/SMTP) access in the 263 admin console; accounts served from 263’s overseas nodes use imapw.263.net and smtpw.263.net.',
    'zh-CN':
      '使用完整邮箱地址和邮箱密码。管理员可能在 263 管理后台限制了客户端(IMAP/SMTP)访问;使用 263 海外节点的账号请改用 imapw.263.net 与 smtpw.263.net。',
  },
  sources: ['https://www.263.net/'],
};
