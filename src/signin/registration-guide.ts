import type { OAuthProviderKind } from './tables.ts';

interface LocalText {
  en: string;
  'zh-CN': string;
}

export interface RegistrationGuide {
  provider: OAuthProviderKind;
  title: LocalText;
  /** `{redirectUri}` is filled in with this server's redirect URI. */
  steps: LocalText[];
  notes: LocalText[];
}

/**
 * Step-by-step registration of the sign-in app, as the Settings › Mailboxes › Sign-in apps page shows
 * it (GET /api/v1/signin-apps returns it with the redirect URI filled in) and docs/signin-apps.md prints it.
 */
const GUIDES: RegistrationGuide[] = [
  {
    provider: 'google',
    title: { en: 'Register Tidings in Google Cloud Console', 'zh-CN': '在 Google Cloud Console 中注册 Tidings' },
    steps: [
      {
        en: 'Open https://console.cloud.google.com/ with an account of your organisation and create a project (or pick one) for Tidings.',
        'zh-CN': '用组织的账号打开 https://console.cloud.google.com/ ,为 Tidings 新建(或选择)一个项目。',
      },
      {
        en: 'Go to Google Auth Platform (APIs & Services › OAuth consent screen) › Get started: enter the app name "Tidings" and a support email. Audience: Internal if only your Google Workspace users bind mailboxes, otherwise External. Enter a contact email and create.',
        'zh-CN':
          '进入 Google Auth Platform(API 和服务 › OAuth 同意屏幕)› 开始:应用名称填写“Tidings”并填写支持邮箱。受众:如果只有本组织 Google Workspace 用户绑定邮箱,选择“内部”;否则选择“外部”。填写联系邮箱后创建。',
      },
      {
        en: 'Data access › Add or remove scopes: add https://mail.google.com/ (enter it under "Manually add scopes"), plus openid and .../auth/userinfo.email. Save.',
        'zh-CN':
          '数据访问 › 添加或移除范围:在“手动添加范围”中填写 https://mail.google.com/ ,并添加 openid 和 .../auth/userinfo.email,然后保存。',
      },
      {
        en: 'For an External app: Audience › Test users › add the Gmail addresses that will bind, or publish the app (Google reviews apps that ask for https://mail.google.com/).',
        'zh-CN':
          '如果是“外部”应用:受众 › 测试用户 › 添加要绑定的 Gmail 地址;或发布应用(使用 https://mail.google.com/ 的应用需要通过 Google 审核)。',
      },
      {
        en: 'Clients › Create client › Application type "Web application", name "Tidings". Under Authorized redirect URIs add exactly: {redirectUri} — then Create.',
        'zh-CN':
          '客户端 › 创建客户端 › 应用类型选择“Web 应用”,名称填写“Tidings”。在“已获授权的重定向 URI”中原样添加:{redirectUri} ,然后点击“创建”。',
      },
      {
        en: 'Copy the Client ID and the Client secret into Tidings: Settings › Mailboxes › Sign-in apps › Google › Save.',
        'zh-CN': '把“客户端 ID”和“客户端密钥”复制到 Tidings:设置 › 邮箱 › 登录应用 › Google › 保存。',
      },
    ],
    notes: [
      {
        en: 'Google Workspace: IMAP must be on for users (Admin console › Apps › Google Workspace › Gmail › End user access › POP and IMAP access). If the admin restricts third-party apps, mark Tidings as Trusted in Security › API controls › App access control.',
        'zh-CN':
          'Google Workspace:需要为用户开启 IMAP(管理控制台 › 应用 › Google Workspace › Gmail › 最终用户访问权限 › POP 和 IMAP 访问)。如果管理员限制第三方应用,请在 安全性 › API 控制 › 应用访问权限控制 中把 Tidings 设为“受信任”。',
      },
      {
        en: 'While an External app is in "Testing", Google lets its sign-ins expire after 7 days: mailboxes then need "Sign in again". Publish the app to avoid this.',
        'zh-CN': '“外部”应用处于“测试”状态时,Google 会让其授权在 7 天后失效,邮箱需要“重新登录”。发布应用即可避免。',
      },
      {
        en: 'Google has no device-code sign-in for mail: the browser of the person signing in must reach the redirect URI (the Tidings address), the internet need not.',
        'zh-CN': 'Google 不支持用设备代码登录邮箱:登录者的浏览器需要能访问重定向 URI(即 Tidings 的地址),但不需要公网可访问。',
      },
    ],
  },
  {
    provider: 'microsoft',
    title: { en: 'Register Tidings in Microsoft Entra admin center', 'zh-CN': '在 Microsoft Entra 管理中心注册 Tidings' },
    steps: [
      {
        en: 'Open https://entra.microsoft.com/ as an administrator › Identity › Applications › App registrations › New registration. Name: "Tidings".',
        'zh-CN': '以管理员身份打开 https://entra.microsoft.com/ › 标识 › 应用程序 › 应用注册 › 新注册。名称:“Tidings”。',
      },
      {
        en: 'Supported account types: "this organizational directory only" (then enter the Directory (tenant) ID as the tenant in Tidings), "any organizational directory" (tenant organizations) or "… and personal Microsoft accounts" (tenant common, needed for Outlook.com / Hotmail).',
        'zh-CN':
          '受支持的帐户类型:“仅此组织目录中的帐户”(在 Tidings 中把“目录(租户) ID”填为租户)、“任何组织目录中的帐户”(租户 organizations),或“……和个人 Microsoft 帐户”(租户 common,绑定 Outlook.com / Hotmail 需要选这一项)。',
      },
      {
        en: 'Redirect URI: platform "Web", value exactly {redirectUri} — then Register.',
        'zh-CN': '重定向 URI:平台选择“Web”,值原样填写 {redirectUri} ,然后点击“注册”。',
      },
      {
        en: 'On the Overview page copy the Application (client) ID (and the Directory (tenant) ID for a single-organisation app).',
        'zh-CN': '在“概述”页面复制“应用程序(客户端) ID”(单组织应用还需复制“目录(租户) ID”)。',
      },
      {
        en: 'Certificates & secrets › Client secrets › New client secret: pick an expiry and write down the date; copy the Value (not the Secret ID) right away — it is shown once.',
        'zh-CN': '证书和密码 › 客户端密码 › 新客户端密码:选择有效期并记下到期日;立即复制“值”(不是“机密 ID”),它只显示一次。',
      },
      {
        en: 'API permissions › Add a permission › APIs my organization uses › "Office 365 Exchange Online" › Delegated permissions: IMAP.AccessAsUser.All and SMTP.Send. Under Microsoft Graph keep openid, email and offline_access (delegated). Then "Grant admin consent for <your organisation>".',
        'zh-CN':
          'API 权限 › 添加权限 › 我的组织使用的 API › “Office 365 Exchange Online” › 委托的权限:勾选 IMAP.AccessAsUser.All 和 SMTP.Send。在 Microsoft Graph 中保留 openid、email 和 offline_access(委托)。然后点击“代表<您的组织>授予管理员同意”。',
      },
      {
        en: 'Mailboxes read over Microsoft Graph (Microsoft 365 with IMAP switched off): API permissions › Add a permission › Microsoft Graph › Delegated permissions: Mail.ReadWrite, Mail.Send and User.Read. For organisation-wide access also Application permissions: Mail.ReadWrite (and Mail.Send). Then "Grant admin consent for <your organisation>" again.',
        'zh-CN':
          '通过 Microsoft Graph 读取的邮箱(关闭了 IMAP 的 Microsoft 365):API 权限 › 添加权限 › Microsoft Graph › 委托的权限:勾选 Mail.ReadWrite、Mail.Send 和 User.Read。如需组织范围访问,还要添加应用程序权限:Mail.ReadWrite(以及 Mail.Send)。然后再次点击“代表<您的组织>授予管理员同意”。',
      },
      {
        en: 'For the device-code sign-in (a Tidings server the browser cannot reach): Authentication › Advanced settings › Allow public client flows › Yes. A public client needs no secret: leave the secret empty in Tidings.',
        'zh-CN':
          '如需设备代码登录(浏览器无法访问 Tidings 服务器时):身份验证 › 高级设置 › 允许公共客户端流 › 是。公共客户端不需要密钥,在 Tidings 中留空即可。',
      },
      {
        en: 'Enter the Application (client) ID, the secret Value and the tenant in Tidings: Settings › Mailboxes › Sign-in apps › Microsoft › Save.',
        'zh-CN': '在 Tidings 中填写“应用程序(客户端) ID”、密钥的“值”和租户:设置 › 邮箱 › 登录应用 › Microsoft › 保存。',
      },
    ],
    notes: [
      {
        en: 'Microsoft 365: IMAP and authenticated SMTP must be allowed for each mailbox (Microsoft 365 admin center › Users › the user › Mail › Manage email apps), and SMTP AUTH must not be disabled for the organisation; otherwise the test fails with "535 5.7.139".',
        'zh-CN':
          'Microsoft 365:需要为每个邮箱允许 IMAP 和经过身份验证的 SMTP(Microsoft 365 管理中心 › 用户 › 该用户 › 邮件 › 管理电子邮件应用),且组织未禁用 SMTP AUTH;否则测试会报“535 5.7.139”。',
      },
      {
        en: 'When the client secret expires, sign-ins stop with "client secret expired": create a new one before the date you wrote down and save it in Tidings.',
        'zh-CN': '客户端密钥到期后,登录会因“客户端密钥已过期”而失败:请在记下的到期日之前新建密钥并保存到 Tidings。',
      },
    ],
  },
];

const fill = (text: LocalText, redirectUri: string): LocalText => ({
  en: text.en.replaceAll('{redirectUri}', redirectUri),
  'zh-CN': text['zh-CN'].replaceAll('{redirectUri}', redirectUri),
});

export function signinRegistrationGuides(redirectUri: string): RegistrationGuide[] {
  return GUIDES.map((g) => ({ ...g, steps: g.steps.map((s) => fill(s, redirectUri)), notes: g.notes.map((n) => fill(n, redirectUri)) }));
}

/** docs/signin-apps.md, from the same data (registration-guide.test.ts keeps the file current). */
export function renderRegistrationGuides(): string {
  const lines = [
    '# Registering the sign-in apps (Google, Microsoft)',
    '',
    '<!-- Generated from src/signin/registration-guide.ts; the Settings › Mailboxes › Sign-in apps page shows the same steps. -->',
    '',
    'Tidings signs in to Gmail, Google Workspace, Outlook.com and Microsoft 365 with OAuth. An admin registers',
    'one app per provider, once. `{redirectUri}` below is TIDINGS_BASE_URL followed by `/oauth/callback`; the Sign-in',
    'apps page shows the exact value. See docs/operations.md › Sign-in apps for the environment variables.',
    '',
  ];
  for (const g of GUIDES) {
    for (const lang of ['en', 'zh-CN'] as const) {
      lines.push(`## ${g.title[lang]}`, '');
      for (const [i, s] of g.steps.entries()) lines.push(`${i + 1}. ${s[lang]}`);
      lines.push('');
      for (const n of g.notes) lines.push(`- ${n[lang]}`);
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
