import { outlookDomains } from './country-domains.ts';
import { starttls, tls } from './server-settings.ts';
import type { CatalogueEntry } from './types.ts';

export const gmail: CatalogueEntry = {
  id: 'gmail',
  name: { en: 'Gmail / Google Workspace', 'zh-CN': 'Gmail / Google Workspace' },
  kind: 'public',
  match: {
    domains: ['gmail.com', 'googlemail.com'],
    // Workspace MX: aspmx.l.google.com and alt*.aspmx.l.google.com, or smtp.google.com for newer domains.
    mxPatterns: ['.google.com', 'aspmx.l.google.com', '.googlemail.com'],
  },
  imap: tls('imap.gmail.com', 993),
  smtp: tls('smtp.gmail.com', 465),
  username: 'email',
  signIn: { oauth: 'google', secrets: ['app_password'] },
  // Consumer Gmail: 500 recipients a day over SMTP and the web; 25 MB per message (support.google.com/mail/answer/22839, 6584).
  // Its SMTP server files each message in Sent itself: Tidings appends no copy (outbox worker).
  sending: { perDay: 500, maxMessageBytes: 25_000_000, savesSentCopy: true },
  quirks: ['password_login_closed', 'gmail_extensions'],
  help: {
    en: 'Sign in with Google (OAuth). Without OAuth: turn on 2-Step Verification, then Google Account › Security › App passwords and create one for Tidings. Workspace admins may have to allow IMAP in Admin console › Apps › Google Workspace › Gmail › End user access.',
    'zh-CN':
      '推荐使用 Google 授权登录(OAuth)。不用 OAuth 时:先开启两步验证,再到 Google 账号 › 安全性 › 应用专用密码,为 Tidings 生成一个。Workspace 企业账号可能需要管理员在 管理控制台 › 应用 › Google Workspace › Gmail › 最终用户访问权限 中允许 IMAP。',
  },
  authHelp: {
    en: 'Use the 16-character app password, not your Google password.',
    'zh-CN': '请填写 16 位应用专用密码,而不是 Google 账号密码。',
  },
  sources: [
    'https://github.com/zone-eu/wildduck/wiki/Gmail-sending',
    'https://developers.google.com/gmail/imap/imap-smtp',
    'https://support.google.com/mail/answer/7126229',
    'https://support.google.com/accounts/answer/185833',
    'https://developers.google.com/gmail/imap/imap-extensions',
    'https://support.google.com/a/answer/174125',
    'https://support.google.com/mail/answer/22839',
    'https://support.google.com/mail/answer/6584',
  ],
};

export const outlook: CatalogueEntry = {
  id: 'outlook',
  name: { en: 'Outlook.com / Hotmail / Live', 'zh-CN': 'Outlook.com / Hotmail / Live' },
  kind: 'public',
  match: {
    domains: outlookDomains,
    mxPatterns: ['.olc.protection.outlook.com'],
  },
  imap: tls('outlook.office365.com', 993),
  smtp: starttls('smtp-mail.outlook.com', 587),
  username: 'email',
  signIn: { oauth: 'microsoft', secrets: [] },
  // Its SMTP server files each message in Sent itself: Tidings appends no copy (outbox worker).
  sending: { savesSentCopy: true },
  quirks: ['password_login_closed'],
  help: {
    en: 'Sign in with Microsoft (OAuth). Microsoft has closed password sign-in for IMAP/SMTP on Outlook.com; app passwords no longer work either.',
    'zh-CN': '请使用 Microsoft 授权登录(OAuth)。Outlook.com 已停止 IMAP/SMTP 的密码登录,应用密码同样无法使用。',
  },
  sources: [
    'https://github.com/nextcloud/documentation/pull/15015',
    'https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040',
    'https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
    'https://github.com/thunderbird/autoconfig/blob/master/ispdb/hotmail.com.xml',
  ],
};

export const microsoft365: CatalogueEntry = {
  id: 'microsoft365',
  name: { en: 'Microsoft 365 (Exchange Online)', 'zh-CN': 'Microsoft 365(Exchange Online)' },
  kind: 'enterprise',
  match: { domains: [], mxPatterns: ['.mail.protection.outlook.com'] },
  imap: tls('outlook.office365.com', 993),
  smtp: starttls('smtp.office365.com', 587),
  username: 'email',
  protocols: ['graph', 'imap'],
  signIn: {
    oauth: 'microsoft',
    secrets: [],
    note: {
      en: 'Tidings reads the mailbox through Microsoft Graph (Mail.ReadWrite), which works even where the tenant switched IMAP off; IMAP/SMTP with the same sign-in is still possible.',
      'zh-CN':
        'Tidings 通过 Microsoft Graph(Mail.ReadWrite)读取邮箱,即使租户关闭了 IMAP 也能使用;仍可选择以同一登录方式通过 IMAP/SMTP 绑定。',
    },
  },
  // Exchange Online's recipient rate limit: 10,000 recipients a day per mailbox (service description, Sending limits).
  // Its SMTP server files each message in Sent itself: Tidings appends no copy (outbox worker).
  sending: { perDay: 10_000, savesSentCopy: true },
  quirks: ['password_login_closed', 'admin_must_allow_client_access'],
  help: {
    en: 'Sign in with Microsoft (OAuth): Tidings reads the mailbox through Microsoft Graph. The tenant admin consents once to the sign-in app (Mail.ReadWrite). Over IMAP instead, the admin must allow IMAP and Authenticated SMTP for the mailbox (Microsoft 365 admin center › Users › Active users › Mail › Manage email apps). EWS is being retired for Exchange Online, so Tidings does not use it there.',
    'zh-CN':
      '请使用 Microsoft 授权登录(OAuth):Tidings 通过 Microsoft Graph 读取邮箱。租户管理员需对登录应用授予一次同意(Mail.ReadWrite)。如改用 IMAP,管理员需为该邮箱开启 IMAP 与“经过身份验证的 SMTP”(Microsoft 365 管理中心 › 用户 › 活跃用户 › 邮件 › 管理电子邮件应用)。Exchange Online 的 EWS 即将停用,Tidings 不在那里使用它。',
  },
  sources: [
    'https://github.com/nextcloud/documentation/pull/15015',
    'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/pop3-and-imap4/pop3-and-imap4',
    'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
    'https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
    'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365',
    'https://techcommunity.microsoft.com/blog/exchange/retirement-of-exchange-web-services-in-exchange-online/3924440',
    'https://learn.microsoft.com/en-us/graph/api/resources/mail-api-overview',
    'https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits',
    'https://learn.microsoft.com/en-us/graph/delta-query-messages',
  ],
};

export const exchange: CatalogueEntry = {
  id: 'exchange',
  name: { en: 'Exchange Server (on-premises)', 'zh-CN': 'Exchange Server(本地部署)' },
  kind: 'enterprise',
  match: { domains: [], mxPatterns: [] },
  username: 'email',
  protocols: ['ews', 'imap'],
  signIn: {
    secrets: ['password'],
    note: {
      en: 'Tidings reads the mailbox through Exchange Web Services (EWS), signing in with NTLM or Basic over HTTPS (Kerberos-only servers are not supported); IMAP/SMTP when the admin prefers and has started those services.',
      'zh-CN':
        'Tidings 通过 Exchange Web Services(EWS)读取邮箱,经 HTTPS 以 NTLM 或基本身份验证登录(不支持仅允许 Kerberos 的服务器);如管理员更希望使用 IMAP/SMTP 并已启用相应服务,也可通过 IMAP/SMTP 绑定。',
    },
  },
  quirks: ['ews_only'],
  help: {
    en: 'Choose "Your own Exchange Server" and give the address, the Windows user name and the password: Tidings finds the EWS address through Autodiscover (autodiscover.<your domain>), or you type it (usually https://mail.<your domain>/EWS/Exchange.asmx). EWS must be allowed for the mailbox (Set-CASMailbox -EwsEnabled $true). Over IMAP instead, ask your admin for the IMAP4 and SMTP server names (often mail.<your domain>, IMAP 993, SMTP 587).',
    'zh-CN':
      '请选择“自己的 Exchange 服务器”,填写邮箱地址、Windows 用户名和密码:Tidings 通过自动发现(autodiscover.<贵司域名>)找到 EWS 地址,也可以手动填写(通常为 https://mail.<贵司域名>/EWS/Exchange.asmx)。该邮箱需允许使用 EWS(Set-CASMailbox -EwsEnabled $true)。如改用 IMAP,请向管理员索取 IMAP4 与 SMTP 服务器地址(通常为 mail.<贵司域名>,IMAP 993,SMTP 587)。',
  },
  authHelp: {
    en: 'Your Windows domain password; the user name may be user@domain or DOMAIN\\user.',
    'zh-CN': '填写 Windows 域账号密码;用户名可以是 user@域名 或 域\\用户名。',
  },
  sources: [
    'https://learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/autodiscover-for-exchange',
    'https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/pox-autodiscover-web-service-reference-for-exchange',
    'https://learn.microsoft.com/en-us/exchange/clients/pop3-and-imap4/pop3-and-imap4',
    'https://learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/mailbox-synchronization-and-ews-in-exchange',
  ],
};

export const icloud: CatalogueEntry = {
  id: 'icloud',
  name: { en: 'iCloud Mail', 'zh-CN': 'iCloud 邮件' },
  kind: 'public',
  match: { domains: ['icloud.com', 'me.com', 'mac.com'], mxPatterns: ['.mail.icloud.com'] },
  imap: tls('imap.mail.me.com', 993),
  smtp: starttls('smtp.mail.me.com', 587),
  // Apple: IMAP takes the name part or the full address, SMTP wants the full address; one username serves both.
  username: 'email',
  signIn: { secrets: ['app_password'] },
  // iCloud Mail: 1,000 recipients a day, messages up to 20 MB (support.apple.com/en-us/102198).
  sending: { perDay: 1000, maxMessageBytes: 20_000_000 },
  quirks: [],
  help: {
    en: 'Turn on two-factor authentication for your Apple Account, then at account.apple.com › Sign-In and Security › App-Specific Passwords generate one for Tidings.',
    'zh-CN': '先为 Apple 账户开启双重认证,再到 account.apple.com › 登录与安全 › App 专用密码,为 Tidings 生成一个。',
  },
  authHelp: {
    en: 'Use the app-specific password (xxxx-xxxx-xxxx-xxxx), not your Apple Account password. If IMAP refuses the full address, try only the part before @.',
    'zh-CN': '请填写 App 专用密码(xxxx-xxxx-xxxx-xxxx),不是 Apple 账户密码。若 IMAP 不接受完整地址,可只填 @ 前面的部分。',
  },
  sources: ['https://support.apple.com/en-us/102525', 'https://support.apple.com/en-us/102654', 'https://support.apple.com/en-us/102198'],
};

export const fastmail: CatalogueEntry = {
  id: 'fastmail',
  name: { en: 'Fastmail', 'zh-CN': 'Fastmail' },
  kind: 'public',
  match: { domains: ['fastmail.com', 'fastmail.fm'], mxPatterns: ['.messagingengine.com'] },
  imap: tls('imap.fastmail.com', 993),
  smtp: tls('smtp.fastmail.com', 465),
  username: 'email',
  signIn: { secrets: ['app_password'] },
  quirks: [],
  help: {
    en: 'Settings › Privacy & Security › Manage app passwords and access › New app password, with access to IMAP and SMTP.',
    'zh-CN': '设置 › 隐私与安全 › 管理应用密码和访问权限 › 新建应用密码,勾选 IMAP 与 SMTP 访问。',
  },
  authHelp: {
    en: 'Use the app password, not your Fastmail password.',
    'zh-CN': '请填写应用密码,而不是 Fastmail 登录密码。',
  },
  sources: [
    'https://www.fastmail.help/hc/en-us/articles/1500000278342-Server-names-and-ports',
    'https://www.fastmail.help/hc/en-us/articles/360058752854-App-passwords',
  ],
};

export const custom: CatalogueEntry = {
  id: 'custom',
  name: { en: 'Other mail server', 'zh-CN': '其他邮件服务器(自定义)' },
  kind: 'custom',
  match: { domains: [], mxPatterns: [] },
  username: 'email',
  signIn: { secrets: ['password'] },
  quirks: [],
  help: {
    en: 'Enter the IMAP and SMTP hosts your mail administrator gave you, then press Test connection. A private certificate is trusted by pinning its SHA-256 fingerprint, never by turning verification off.',
    'zh-CN': '填写邮件管理员提供的 IMAP 与 SMTP 服务器地址,然后点击“测试连接”。自签名证书请固定其 SHA-256 指纹来信任,不要关闭证书校验。',
  },
  sources: ['https://www.rfc-editor.org/rfc/rfc8314', 'https://www.rfc-editor.org/rfc/rfc6186'],
};
