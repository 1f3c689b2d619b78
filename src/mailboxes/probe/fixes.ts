import { EXCHANGE_FIXES } from './exchange-explanations.ts';
import { protonBridgeFixes } from './fixes-proton-bridge.ts';
import type { LocalText, OAuthFailureCode, ProbeFailureCode } from './types.ts';

const SIGNIN_APPS = { en: 'Settings › Mailboxes › Sign-in apps', 'zh-CN': '设置 › 邮箱 › 登录应用' };

/** OAuth: what to do when getting a token fails (token stage) or the mail server refuses it. */
const OAUTH_FIXES: Record<OAuthFailureCode, LocalText> = {
  oauth_revoked: {
    en: 'Choose "Sign in again" on this mailbox and sign in with the provider. Syncing then resumes where it stopped; no mail is lost or doubled.',
    'zh-CN': '请在该邮箱上点击“重新登录”,用服务商账号重新登录。之后同步会从中断处继续,邮件不会丢失或重复。',
  },
  oauth_consent_required: {
    en: "Sign in again and accept the permissions Tidings asks for (read and send this mailbox's mail). If your organisation wants an administrator to approve apps, ask one to grant consent first.",
    'zh-CN': '请重新登录,并同意 Tidings 请求的权限(读取和发送该邮箱的邮件)。如果您的组织要求由管理员批准应用,请先请管理员授予同意。',
  },
  oauth_consent_refused: {
    en: "Start the sign-in again and choose Allow (Google) or Accept (Microsoft): Tidings needs access to read and send this mailbox's mail.",
    'zh-CN': '请重新开始登录,并在页面上选择“允许”(Google)或“接受”(Microsoft):Tidings 需要读取和发送该邮箱邮件的权限。',
  },
  oauth_admin_consent_required: {
    en: 'An administrator of the organisation must approve the sign-in app once. Microsoft 365: Microsoft Entra admin center › Enterprise applications › the app › Permissions › Grant admin consent. Google Workspace: Admin console › Security › Access and data control › API controls › Manage third-party app access › set the app to Trusted. Then sign in again.',
    'zh-CN':
      '需要该组织的管理员批准一次登录应用。Microsoft 365:Microsoft Entra 管理中心 › 企业应用程序 › 该应用 › 权限 › 代表组织授予管理员同意。Google Workspace:管理控制台 › 安全性 › 访问权限和数据控制 › API 控制 › 管理第三方应用访问权限 › 将该应用设为“受信任”。然后重新登录。',
  },
  oauth_wrong_tenant: {
    en: `In ${SIGNIN_APPS.en}, set the Microsoft tenant to "organizations" or "common" (or to this organisation's tenant ID), or sign in with an account of the organisation the app is set up for. A single-tenant app must be made multi-tenant first: Microsoft Entra admin center › App registrations › the app › Authentication › Supported account types.`,
    'zh-CN': `请在 ${SIGNIN_APPS['zh-CN']} 中把 Microsoft 租户设为“organizations”或“common”(或该组织的租户 ID),或者使用登录应用所属组织的账号登录。单租户应用需先改为多租户:Microsoft Entra 管理中心 › 应用注册 › 该应用 › 身份验证 › 受支持的帐户类型。`,
  },
  oauth_redirect_mismatch: {
    en: `Register the exact redirect URI shown in ${SIGNIN_APPS.en} with the provider. Google Cloud Console › APIs & Services › Credentials › the OAuth client › Authorized redirect URIs; Microsoft Entra admin center › App registrations › the app › Authentication › Web › Redirect URIs. Also check that TIDINGS_BASE_URL is the address people open Tidings at.`,
    'zh-CN': `请把 ${SIGNIN_APPS['zh-CN']} 中显示的回调地址原样登记到服务商:Google Cloud 控制台 › API 和服务 › 凭据 › 该 OAuth 客户端 › 已获授权的重定向 URI;Microsoft Entra 管理中心 › 应用注册 › 该应用 › 身份验证 › Web › 重定向 URI。同时请确认 TIDINGS_BASE_URL 就是大家访问 Tidings 的地址。`,
  },
  oauth_client_secret_expired: {
    en: `Create a new client secret (Microsoft Entra admin center › App registrations › the app › Certificates & secrets › New client secret; copy its Value) and enter it in ${SIGNIN_APPS.en}. Bound mailboxes keep working with the new secret; nobody has to sign in again.`,
    'zh-CN': `请新建客户端密钥(Microsoft Entra 管理中心 › 应用注册 › 该应用 › 证书和密码 › 新客户端密码,复制其“值”),并填写到 ${SIGNIN_APPS['zh-CN']}。已绑定的邮箱会使用新密钥继续工作,无需重新登录。`,
  },
  oauth_client_invalid: {
    en: `Check the client ID (application ID) and the client secret in ${SIGNIN_APPS.en}: copy them again from Google Cloud Console › APIs & Services › Credentials, or from Microsoft Entra admin center › App registrations (the secret's Value, not its Secret ID).`,
    'zh-CN': `请检查 ${SIGNIN_APPS['zh-CN']} 中的客户端 ID(应用程序 ID)和客户端密钥:从 Google Cloud 控制台 › API 和服务 › 凭据,或 Microsoft Entra 管理中心 › 应用注册 中重新复制(密钥要复制“值”,不是“机密 ID”)。`,
  },
  oauth_scope_missing: {
    en: 'Sign in again with the account of this mailbox and allow every permission asked (at Google, tick "Read, compose, send and permanently delete all your email from Gmail"). The sign-in app needs the scope https://mail.google.com/ (Google), or the delegated permissions IMAP.AccessAsUser.All and SMTP.Send of Office 365 Exchange Online, or for a mailbox over Microsoft Graph, Mail.ReadWrite and Mail.Send of Microsoft Graph (Microsoft Entra admin center › App registrations › the app › API permissions).',
    'zh-CN':
      '请用该邮箱的账号重新登录,并允许所请求的全部权限(在 Google 页面上勾选“阅读、撰写、发送和永久删除您在 Gmail 中的所有电子邮件”)。登录应用需要 https://mail.google.com/ 范围(Google),或 Office 365 Exchange Online 的委托权限 IMAP.AccessAsUser.All 和 SMTP.Send;通过 Microsoft Graph 同步的邮箱则需要 Microsoft Graph 的 Mail.ReadWrite 和 Mail.Send(Microsoft Entra 管理中心 › 应用注册 › 该应用 › API 权限)。',
  },
  oauth_app_missing: {
    en: `An administrator sets up the sign-in app once in ${SIGNIN_APPS.en} (client ID and secret from Google Cloud Console or Microsoft Entra admin center, as the page explains), or with environment variables. Until then, use an app password where the provider allows one.`,
    'zh-CN': `需要管理员在 ${SIGNIN_APPS['zh-CN']} 中配置一次登录应用(按页面说明从 Google Cloud 控制台或 Microsoft Entra 管理中心获取客户端 ID 和密钥),也可以用环境变量配置。在此之前,如果服务商允许,可以先使用应用专用密码。`,
  },
  oauth_provider_unreachable: {
    en: 'Check that the Tidings server can reach the provider over HTTPS (accounts.google.com, oauth2.googleapis.com, login.microsoftonline.com), also through any proxy or firewall. Tidings keeps retrying by itself; test again in a few minutes.',
    'zh-CN':
      '请确认 Tidings 服务器可以通过 HTTPS 访问服务商(accounts.google.com、oauth2.googleapis.com、login.microsoftonline.com),包括经过代理或防火墙的情况。Tidings 会自动重试,请几分钟后再测试。',
  },
  oauth_address_mismatch: {
    en: 'Sign in with the account whose address this mailbox is. If this address is an alias of the account you signed in with, an administrator can confirm the difference.',
    'zh-CN': '请使用与该邮箱地址一致的账号登录。如果该地址是您所登录账号的别名,可以由管理员确认这一差异。',
  },
  oauth_state_invalid: {
    en: 'Start the sign-in again from Tidings, in the same browser, and finish it within 10 minutes. Do not reuse an old sign-in link.',
    'zh-CN': '请从 Tidings 重新开始登录,在同一个浏览器中于 10 分钟内完成。不要重复使用旧的登录链接。',
  },
  oauth_nonce_invalid: {
    en: "Start the sign-in again from Tidings in the same browser. If it keeps happening, check the Tidings server's clock and that no proxy changes the provider's answers.",
    'zh-CN': '请在同一个浏览器中从 Tidings 重新开始登录。如果反复出现,请检查 Tidings 服务器的时间,并确认没有代理篡改服务商的返回。',
  },
  oauth_flow_not_found: {
    en: 'Start the sign-in again from Tidings: an unfinished sign-in is kept only for a short time.',
    'zh-CN': '请从 Tidings 重新开始登录:未完成的登录只会保留很短的时间。',
  },
  oauth_provider_error: {
    en: "Read the provider's message above and sign in again; if it persists, check the app registration (Settings › Mailboxes › Sign-in apps shows the steps).",
    'zh-CN': '请查看上方服务商的提示并重新登录;如果仍然出现,请检查应用注册(设置 › 邮箱 › 登录应用 中有分步说明)。',
  },
  oauth_id_token_invalid: {
    en: "Start the sign-in again and check the Tidings server's clock. The sign-in app must be allowed the openid and email permissions.",
    'zh-CN': '请重新开始登录,并检查 Tidings 服务器的时间。登录应用需要具有 openid 和 email 权限。',
  },
  oauth_flow_unusable: {
    en: 'Finish the sign-in first, or start a new one for this mailbox.',
    'zh-CN': '请先完成登录,或为该邮箱重新发起登录。',
  },
  oauth_device_unsupported: {
    en: "Use the browser sign-in. Google only needs the redirect URI to be reachable from the signing-in person's browser, not from the internet.",
    'zh-CN': '请使用浏览器登录。Google 只要求登录者的浏览器能访问重定向 URI,不需要公网可访问。',
  },
  oauth_token_rejected: {
    en: 'Test again: Tidings gets a fresh token each time. If it keeps failing, choose "Sign in again" and sign in with the account of this mailbox.',
    'zh-CN': '请重新测试:Tidings 每次都会获取新的令牌。如果仍然失败,请点击“重新登录”,并使用该邮箱的账号登录。',
  },
  oauth_imap_disabled: {
    en: 'Turn IMAP on for this mailbox. Microsoft 365: Microsoft 365 admin center › Users › Active users › the user › Mail › Manage email apps › IMAP. Google Workspace: Admin console › Apps › Google Workspace › Gmail › End User Access › POP and IMAP access (and, in Gmail, Settings › See all settings › Forwarding and POP/IMAP › Enable IMAP). Changes can take up to an hour; then test again.',
    'zh-CN':
      '请为该邮箱开启 IMAP。Microsoft 365:Microsoft 365 管理中心 › 用户 › 活跃用户 › 该用户 › 邮件 › 管理电子邮件应用 › IMAP。Google Workspace:管理控制台 › 应用 › Google Workspace › Gmail › 最终用户访问权限 › POP 和 IMAP 访问(并在 Gmail 中:设置 › 查看所有设置 › 转发和 POP/IMAP › 启用 IMAP)。更改最多可能需要一小时生效,之后请重新测试。',
  },
  oauth_smtp_disabled: {
    en: 'Allow authenticated SMTP for this mailbox: Microsoft 365 admin center › Users › Active users › the user › Mail › Manage email apps › Authenticated SMTP. If it is off for the whole organisation: Exchange admin center › Settings › Mail flow › clear "Turn off SMTP AUTH protocol for your organization" (PowerShell: Set-CASMailbox -Identity <address> -SmtpClientAuthenticationDisabled $false). Changes can take up to an hour.',
    'zh-CN':
      '请为该邮箱开启“经过身份验证的 SMTP”:Microsoft 365 管理中心 › 用户 › 活跃用户 › 该用户 › 邮件 › 管理电子邮件应用 › 经过身份验证的 SMTP。如果整个组织都关闭了:Exchange 管理中心 › 设置 › 邮件流 › 取消勾选“为组织关闭 SMTP AUTH 协议”(PowerShell:Set-CASMailbox -Identity <地址> -SmtpClientAuthenticationDisabled $false)。更改最多可能需要一小时生效。',
  },
};

/** What to do, for each failure, whatever the provider. */
export const GENERIC_FIXES: Record<ProbeFailureCode, LocalText> = {
  ...OAUTH_FIXES,
  ...EXCHANGE_FIXES,
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
  en: 'NetEase mail (163, 126, yeah.net, and the VIP and 188 mailboxes) signs in mail apps only with the client authorization code, not the login password. On the web mail: Settings › POP3/SMTP/IMAP › turn on IMAP/SMTP service, verify by text message, copy the authorization code (shown once) and enter it here as the password.',
  'zh-CN':
    '网易邮箱(163、126、yeah.net 以及 VIP、188 邮箱)在客户端只能用客户端授权码登录,不能用登录密码。请登录网页版邮箱:设置 › POP3/SMTP/IMAP › 开启 IMAP/SMTP 服务,按提示发送短信验证,复制授权码(只显示一次)并填写到密码栏。',
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
  netease_vip163: netEase,
  netease_vip126: netEase,
  netease188: netEase,
  netease_vip188: netEase,
  proton_bridge: protonBridgeFixes,
  gmail: {
    oauth_imap_disabled: {
      en: 'Turn IMAP on. Gmail: Settings › See all settings › Forwarding and POP/IMAP › Enable IMAP. Google Workspace: the administrator also allows it in Admin console › Apps › Google Workspace › Gmail › End User Access › POP and IMAP access. Then test again.',
      'zh-CN':
        '请开启 IMAP。Gmail:设置 › 查看所有设置 › 转发和 POP/IMAP › 启用 IMAP。Google Workspace:还需管理员在 管理控制台 › 应用 › Google Workspace › Gmail › 最终用户访问权限 › POP 和 IMAP 访问 中允许。然后重新测试。',
    },
    auth_failed: googlePassword,
    auth_method_unsupported: googlePassword,
    imap_disabled_by_provider: {
      en: 'In Gmail on the web: Settings › See all settings › Forwarding and POP/IMAP › enable IMAP (for Google Workspace the administrator must allow IMAP too). Then sign in with Google or an app password.',
      'zh-CN':
        '在网页版 Gmail 中:设置 › 查看所有设置 › 转发和 POP/IMAP › 启用 IMAP(Google Workspace 还需管理员允许 IMAP),然后使用 Google 登录或应用专用密码。',
    },
  },
  outlook: {
    oauth_imap_disabled: {
      en: 'In Outlook.com: Settings › Mail › Forwarding and IMAP › turn on "Let devices and apps use IMAP", then test again.',
      'zh-CN': '在 Outlook.com 中:设置 › 邮件 › 转发和 IMAP › 开启“允许设备和应用使用 IMAP”,然后重新测试。',
    },
    auth_failed: outlookOAuth,
    auth_method_unsupported: outlookOAuth,
    imap_disabled_by_provider: {
      en: 'In Outlook.com: Settings › Mail › Forwarding and IMAP › allow devices and apps to use IMAP, then choose "Sign in with Microsoft".',
      'zh-CN': '在 Outlook.com 中:设置 › 邮件 › 转发和 IMAP › 允许设备和应用使用 IMAP,然后选择“使用 Microsoft 登录”。',
    },
  },
  microsoft365: {
    auth_failed: m365OAuth,
    auth_method_unsupported: m365OAuth,
    imap_disabled_by_provider: m365OAuth,
    oauth_imap_disabled: {
      en: 'Microsoft 365 answers "AUTHENTICATE failed." when IMAP is off for the mailbox. An administrator turns it on: Microsoft 365 admin center › Users › Active users › the user › Mail › Manage email apps › IMAP (PowerShell: Set-CASMailbox -Identity <address> -ImapEnabled $true). The sign-in app needs the delegated permission IMAP.AccessAsUser.All. Changes can take up to an hour.',
      'zh-CN':
        '邮箱关闭 IMAP 时,Microsoft 365 会回复“AUTHENTICATE failed.”。请管理员开启:Microsoft 365 管理中心 › 用户 › 活跃用户 › 该用户 › 邮件 › 管理电子邮件应用 › IMAP(PowerShell:Set-CASMailbox -Identity <地址> -ImapEnabled $true)。登录应用需要委托权限 IMAP.AccessAsUser.All。更改最多可能需要一小时生效。',
    },
  },
  exmail: { auth_failed: exmailPassword, imap_disabled_by_provider: exmailAdmin },
};
