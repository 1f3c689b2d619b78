import { SIGNIN_FIXES } from './oauth-fixes.ts';
import type { LocalText, ProbeFailureCode } from './types.ts';

/** What to do, for each failure, whatever the provider. */
export const GENERIC_FIXES: Record<ProbeFailureCode, LocalText> = {
  ...SIGNIN_FIXES,
  dns_not_found: {
    en: 'Check the server name for typos (for example imap.example.com, not the address of the web mail). If it is right, check the DNS settings and network of the Tidings server.',
    'zh-CN':
      '请检查服务器地址是否拼写正确(例如 imap.example.com,而不是网页版邮箱的网址)。如果地址无误,请检查 Tidings 服务器的 DNS 设置和网络。',
  },
  connect_refused: {
    en: 'Check the port (IMAP: 993 SSL/TLS or 143 STARTTLS; SMTP: 465 SSL/TLS or 587 STARTTLS) and that the mail server is running.',
    'zh-CN': '请检查端口号(IMAP:993 SSL/TLS 或 143 STARTTLS;SMTP:465 SSL/TLS 或 587 STARTTLS),并确认邮件服务器正在运行。',
  },
  connect_timeout: {
    en: 'Check the server name and port, and that the Tidings server may connect out to them: firewalls and cloud providers often block mail ports (especially SMTP 25/465/587). For a company server, ask IT to allow this server.',
    'zh-CN':
      '请检查服务器地址和端口,并确认 Tidings 服务器可以访问它们:防火墙和云服务商常会封锁邮件端口(尤其是 SMTP 的 25/465/587)。如果是公司自建服务器,请联系 IT 放行。',
  },
  tls_handshake_failed: {
    en: 'Check the port and the security setting. Tidings needs TLS 1.2 or newer; if the server only offers older versions, ask its administrator to enable TLS 1.2.',
    'zh-CN': '请检查端口和加密方式设置。Tidings 需要 TLS 1.2 及以上版本;如果服务器只支持旧版本,请联系其管理员启用 TLS 1.2。',
  },
  tls_untrusted_certificate: {
    en: 'If this is your company\'s own mail server with a self-signed or private certificate, compare the SHA-256 fingerprint with the one your administrator gives you, then choose "Trust this certificate". If you did not expect this, do not continue: the connection may be intercepted.',
    'zh-CN':
      '如果这是公司自建的邮件服务器(使用自签名或私有证书),请与管理员提供的 SHA-256 指纹核对一致后,选择“信任此证书”。如果您没有预料到这种情况,请不要继续:连接可能被劫持。',
  },
  tls_hostname_mismatch: {
    en: "Use the server name the certificate was issued for (usually the provider's official host name). If your administrator confirms this certificate, you can trust it for this mailbox.",
    'zh-CN': '请改用证书所签发的服务器地址(通常是服务商的官方地址)。如果管理员确认这张证书无误,也可以为该邮箱信任此证书。',
  },
  tls_certificate_expired: {
    en: "Ask the mail server's administrator to renew the certificate, and check that the date and time of the Tidings server are right.",
    'zh-CN': '请联系邮件服务器管理员更新证书,并检查 Tidings 服务器的日期和时间是否正确。',
  },
  plaintext_refused: {
    en: 'Choose SSL/TLS (IMAP 993, SMTP 465) or STARTTLS (IMAP 143, SMTP 587). An unencrypted connection would send your password in the clear.',
    'zh-CN': '请选择 SSL/TLS(IMAP 993、SMTP 465)或 STARTTLS(IMAP 143、SMTP 587)。不加密的连接会以明文发送密码。',
  },
  starttls_unavailable: {
    en: 'Choose SSL/TLS instead: port 993 for IMAP, 465 for SMTP.',
    'zh-CN': '请改用 SSL/TLS:IMAP 使用 993 端口,SMTP 使用 465 端口。',
  },
  auth_failed: {
    en: "Check the username (usually the full email address) and the password. Many providers want an authorization code or app password instead of the login password: see the provider's help.",
    'zh-CN': '请检查用户名(通常是完整的邮箱地址)和密码。很多邮箱服务商要求使用授权码或应用专用密码,而不是登录密码,请查看服务商的帮助说明。',
  },
  auth_method_unsupported: {
    en: "If the provider signs in with OAuth (Sign in with Google / Microsoft), choose that option. Otherwise ask the server's administrator to allow PLAIN or LOGIN authentication over TLS.",
    'zh-CN':
      '如果服务商使用 OAuth 登录(Google / Microsoft 账号授权),请选择该方式;否则请联系服务器管理员,允许在 TLS 加密下使用 PLAIN 或 LOGIN 认证。',
  },
  imap_disabled_by_provider: {
    en: "Turn on IMAP/SMTP for this mailbox in the provider's web settings (for company mail the administrator may also have to allow client access), then test again.",
    'zh-CN': '请在邮箱网页版的设置中开启 IMAP/SMTP 服务(企业邮箱可能还需要管理员允许客户端访问),然后重新测试连接。',
  },
  unsafe_login_needs_id: {
    en: "Sign in to the web mail once, check that IMAP is switched on and that you use a current authorization code, then test again. If the message persists, contact the provider's support with the transcript below.",
    'zh-CN':
      '请先登录一次网页版邮箱,确认已开启 IMAP 服务并使用最新的授权码,然后重新测试。如果仍然出现,请把下方的通信记录发给邮箱服务商的客服。',
  },
  mailbox_unavailable: {
    en: 'Sign in to the web mail and check the INBOX opens (the account is not locked or over quota), then test again.',
    'zh-CN': '请登录网页版邮箱,确认收件箱可以正常打开(账号未被锁定、空间未满),然后重新测试。',
  },
  rate_limited: {
    en: 'Wait 10–30 minutes before testing again, and close other mail apps that use this account at the same time.',
    'zh-CN': '请等待 10–30 分钟后再测试,并关闭同时使用该账号的其他邮件客户端。',
  },
  wrong_port_security: {
    en: 'Match the port with the security setting: 465 is SSL/TLS, 587 is STARTTLS; 993 is SSL/TLS, 143 is STARTTLS.',
    'zh-CN': '请让端口与加密方式对应:465 用 SSL/TLS,587 用 STARTTLS;993 用 SSL/TLS,143 用 STARTTLS。',
  },
  protocol_error: {
    en: "Check that the host and port belong to a mail server of this kind (IMAP for receiving, SMTP for sending). If they do, test again later and send the transcript to the server's administrator.",
    'zh-CN': '请确认地址和端口属于对应类型的邮件服务器(收信用 IMAP,发信用 SMTP)。如果无误,请稍后重试,并把通信记录发给服务器管理员。',
  },
  not_a_mail_server: {
    en: 'Check the server name and port: they lead to a service that is not a mail server. Use the IMAP and SMTP settings your mail provider or IT publishes.',
    'zh-CN': '请检查服务器地址和端口:它们指向的不是邮件服务器。请使用邮箱服务商或 IT 部门提供的 IMAP 和 SMTP 设置。',
  },
  host_not_allowed: {
    en: 'Use the public name of the mail server. For a server on the company network, ask an admin to bind the mailbox; the operator can allow such addresses with TIDINGS_ALLOW_PRIVATE_MAIL_HOSTS_FOR_MEMBERS or TIDINGS_ALLOW_LOCAL_MAIL_HOSTS.',
    'zh-CN':
      '请使用邮件服务器的公网域名。如果服务器在公司内网,请让管理员来绑定该邮箱;运维人员可以通过 TIDINGS_ALLOW_PRIVATE_MAIL_HOSTS_FOR_MEMBERS 或 TIDINGS_ALLOW_LOCAL_MAIL_HOSTS 允许这类地址。',
  },
  send_failed: {
    en: 'Signing in works. Check that the sender address belongs to this mailbox and that the account may send mail (not limited or blocked by the provider).',
    'zh-CN': '登录没有问题。请检查发件人地址是否属于该邮箱,以及该账号是否被允许发信(未被服务商限制或封禁)。',
  },
};

const qqAuthCode: LocalText = {
  en: 'QQ Mail signs in mail apps only with the 16-character authorization code, not your QQ password. In QQ Mail on the web: Settings › Account › POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV service › turn on IMAP/SMTP, verify by phone or WeChat, then Generate authorization code and enter it here as the password.',
  'zh-CN':
    'QQ 邮箱在客户端只能用 16 位授权码登录,不能用 QQ 密码。请登录网页版 QQ 邮箱:设置 › 账户 › POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV服务 › 开启 IMAP/SMTP 服务,按提示用手机或微信验证后点击“生成授权码”,把授权码填写到密码栏。',
};

const netEaseAuthCode: LocalText = {
  en: 'NetEase mail (163/126/yeah.net) signs in mail apps only with the client authorization code, not the login password. On the web mail: Settings › POP3/SMTP/IMAP › turn on IMAP/SMTP service, verify by text message, copy the authorization code (shown once) and enter it here as the password.',
  'zh-CN':
    '网易邮箱(163/126/yeah.net)在客户端只能用客户端授权码登录,不能用登录密码。请登录网页版邮箱:设置 › POP3/SMTP/IMAP › 开启 IMAP/SMTP 服务,按提示发送短信验证,复制授权码(只显示一次)并填写到密码栏。',
};

const netEaseUnsafe: LocalText = {
  en: 'NetEase refuses mail apps that do not identify themselves (IMAP ID); Tidings sends it whenever the server allows. Sign in to the web mail once, check Settings › POP3/SMTP/IMAP shows IMAP on and use a freshly generated authorization code, then test again. If it persists, contact NetEase support (kefu@188.com).',
  'zh-CN':
    '网易邮箱会拒绝未表明身份(IMAP ID)的客户端;只要服务器允许,Tidings 都会发送 ID。请先登录一次网页版邮箱,在 设置 › POP3/SMTP/IMAP 中确认已开启 IMAP,并使用新生成的授权码后重新测试。如果仍然出现,请联系网易客服(kefu@188.com)。',
};

const googlePassword: LocalText = {
  en: 'Google no longer accepts your Google password in mail apps. Choose "Sign in with Google" (OAuth), or turn on 2-Step Verification, create an app password at myaccount.google.com/apppasswords and enter it here.',
  'zh-CN':
    'Google 已不再允许在邮件客户端中使用 Google 账号密码。请选择“使用 Google 登录”(OAuth),或开启两步验证后在 myaccount.google.com/apppasswords 生成应用专用密码并填写到这里。',
};

const outlookOAuth: LocalText = {
  en: 'Outlook.com no longer accepts passwords in mail apps (basic authentication is off). Choose "Sign in with Microsoft" (OAuth).',
  'zh-CN': 'Outlook.com 已不再允许邮件客户端使用密码登录(基本认证已关闭)。请选择“使用 Microsoft 登录”(OAuth)。',
};

const m365OAuth: LocalText = {
  en: 'Microsoft 365 signs in with OAuth: choose "Sign in with Microsoft". The administrator must allow IMAP (and Authenticated SMTP for sending) for this mailbox: Microsoft 365 admin center › Users › the user › Mail › Manage email apps.',
  'zh-CN':
    'Microsoft 365 需要 OAuth 登录:请选择“使用 Microsoft 登录”。管理员还需为该邮箱开启 IMAP(发信还需开启“经过身份验证的 SMTP”):Microsoft 365 管理中心 › 用户 › 该用户 › 邮件 › 管理电子邮件应用。',
};

const exmailAdmin: LocalText = {
  en: 'Tencent Exmail: the administrator must allow client access (WeCom admin console › Collaboration › Security management › Client access restriction › add this member to Exchange/IMAP/SMTP). Then the member turns on Settings › Client settings › IMAP/SMTP service.',
  'zh-CN':
    '腾讯企业邮箱:需要管理员允许客户端访问(企业微信管理后台 › 协作 › 安全管理 › 客户端访问限制 › 将该成员加入 Exchange/IMAP/SMTP 服务范围),然后成员在 设置 › 客户端设置 中开启 IMAP/SMTP 服务。',
};

const exmailPassword: LocalText = {
  en: 'Tencent Exmail: if Secure login is on, use the client-specific password (Settings › Mailbox binding › generate a new client-specific password), not the mailbox password. Also check that the administrator allowed IMAP/SMTP for you.',
  'zh-CN':
    '腾讯企业邮箱:如果开启了“安全登录”,请使用客户端专用密码(设置 › 邮箱绑定 › 生成新密码),而不是邮箱登录密码。同时请确认管理员已为您开放 IMAP/SMTP。',
};

const netEase = {
  auth_failed: netEaseAuthCode,
  imap_disabled_by_provider: netEaseAuthCode,
  unsafe_login_needs_id: netEaseUnsafe,
};

/** Fixes that replace the generic one when the provider is known (catalogue ids). */
export const PROVIDER_FIXES: Record<string, Partial<Record<ProbeFailureCode, LocalText>>> = {
  qq: { auth_failed: qqAuthCode, imap_disabled_by_provider: qqAuthCode },
  netease163: netEase,
  netease126: netEase,
  yeah: netEase,
  gmail: {
    auth_failed: googlePassword,
    auth_method_unsupported: googlePassword,
    imap_disabled_by_provider: {
      en: 'In Gmail on the web: Settings › See all settings › Forwarding and POP/IMAP › enable IMAP (for Google Workspace the administrator must allow IMAP too). Then sign in with Google or an app password.',
      'zh-CN':
        '在网页版 Gmail 中:设置 › 查看所有设置 › 转发和 POP/IMAP › 启用 IMAP(Google Workspace 还需管理员允许 IMAP),然后使用 Google 登录或应用专用密码。',
    },
  },
  outlook: {
    auth_failed: outlookOAuth,
    auth_method_unsupported: outlookOAuth,
    imap_disabled_by_provider: {
      en: 'In Outlook.com: Settings › Mail › Forwarding and IMAP › allow devices and apps to use IMAP, then choose "Sign in with Microsoft".',
      'zh-CN': '在 Outlook.com 中:设置 › 邮件 › 转发和 IMAP › 允许设备和应用使用 IMAP,然后选择“使用 Microsoft 登录”。',
    },
  },
  microsoft365: { auth_failed: m365OAuth, auth_method_unsupported: m365OAuth, imap_disabled_by_provider: m365OAuth },
  exmail: { auth_failed: exmailPassword, imap_disabled_by_provider: exmailAdmin },
};
