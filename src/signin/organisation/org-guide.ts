/**
 * What an administrator does at the provider before Tidings can reach the organisation's mailboxes,
 * step by step, in English and Chinese. `{clientId}` is filled in with the app (Microsoft) or the
 * service account (Google) in use.
 */
interface Text {
  en: string;
  'zh-CN': string;
}

export interface OrganisationGuide {
  provider: 'google' | 'microsoft';
  title: Text;
  steps: Text[];
  notes: Text[];
}

const MICROSOFT: OrganisationGuide = {
  provider: 'microsoft',
  title: { en: 'Microsoft 365: application permissions for IMAP and SMTP', 'zh-CN': 'Microsoft 365:IMAP 和 SMTP 的应用程序权限' },
  steps: [
    {
      en: 'Set up the Microsoft sign-in app first (Sign-in apps above) with a client secret: application permissions need one.',
      'zh-CN': '请先在上方“登录应用”中配置 Microsoft 登录应用,并填写客户端密码:应用程序权限必须使用客户端密码。',
    },
    {
      en: 'In the Microsoft Entra admin center, open App registrations › the app {clientId} › API permissions › Add a permission › APIs my organization uses › "Office 365 Exchange Online" › Application permissions, and add IMAP.AccessAsApp (and SMTP.SendAsApp to send mail). Then choose "Grant admin consent".',
      'zh-CN':
        '在 Microsoft Entra 管理中心打开“应用注册” › 应用 {clientId} › “API 权限” › “添加权限” › “我的组织使用的 API” › “Office 365 Exchange Online” › “应用程序权限”,添加 IMAP.AccessAsApp(如需发信再添加 SMTP.SendAsApp),然后点击“代表组织授予管理员同意”。',
    },
    {
      en: 'Note the Object ID of the app under Enterprise applications (not the one under App registrations).',
      'zh-CN': '在“企业应用程序”中记下该应用的“对象 ID”(不是“应用注册”中的那个)。',
    },
    {
      en: 'In Exchange Online PowerShell (Connect-ExchangeOnline), register the service principal: New-ServicePrincipal -AppId {clientId} -ObjectId <Object ID>',
      'zh-CN':
        '在 Exchange Online PowerShell 中(先运行 Connect-ExchangeOnline)注册服务主体:New-ServicePrincipal -AppId {clientId} -ObjectId <对象 ID>',
    },
    {
      en: 'Give the service principal each mailbox Tidings should read: Add-MailboxPermission -Identity sales1@example.com -User <Object ID> -AccessRights FullAccess (once per mailbox). Without it, the mailbox refuses the sign-in with "AUTHENTICATE failed".',
      'zh-CN':
        '为服务主体授予 Tidings 要读取的每个邮箱的权限:Add-MailboxPermission -Identity sales1@example.com -User <对象 ID> -AccessRights FullAccess(每个邮箱执行一次)。否则该邮箱会以“AUTHENTICATE failed”拒绝登录。',
    },
    {
      en: 'Here, enter the tenant ID (Directory ID) and the mail domains of the organisation, then bind the mailboxes below.',
      'zh-CN': '在本页填写租户 ID(目录 ID)和组织的邮件域名,然后在下方批量绑定邮箱。',
    },
  ],
  notes: [
    {
      en: 'Sending needs SMTP AUTH allowed for each mailbox (Set-CASMailbox -Identity sales1@example.com -SmtpClientAuthenticationDisabled $false); otherwise the server answers 535 5.7.139.',
      'zh-CN':
        '发信需要为每个邮箱开启 SMTP AUTH(Set-CASMailbox -Identity sales1@example.com -SmtpClientAuthenticationDisabled $false),否则服务器会返回 535 5.7.139。',
    },
    {
      en: "Nobody signs in and no password is stored: the mailboxes are reached with the app's own token. Removing the organisation access stops them.",
      'zh-CN': '整个过程无需任何人登录,也不保存密码:Tidings 使用应用自己的令牌访问邮箱。删除组织授权后,这些邮箱将停止同步。',
    },
  ],
};

const GOOGLE: OrganisationGuide = {
  provider: 'google',
  title: { en: 'Google Workspace: domain-wide delegation', 'zh-CN': 'Google Workspace:全网域授权' },
  steps: [
    {
      en: 'In the Google Cloud console, open IAM & Admin › Service accounts › Create service account. On the new account, open Keys › Add key › Create new key › JSON, and download the file.',
      'zh-CN':
        '在 Google Cloud 控制台打开“IAM 和管理” › “服务账号” › “创建服务账号”。在新账号中打开“密钥” › “添加密钥” › “创建新密钥” › JSON,并下载该文件。',
    },
    {
      en: "In the Google Admin console (admin.google.com), open Security › Access and data control › API controls › Manage domain-wide delegation › Add new. Client ID: {clientId} (the service account's client ID). OAuth scopes: https://mail.google.com/ . Choose Authorize.",
      'zh-CN':
        '在 Google 管理控制台(admin.google.com)打开“安全性” › “访问权限和数据控制” › “API 控件” › “管理全网域授权” › “添加新的”。客户端 ID:{clientId}(服务账号的客户端 ID)。OAuth 范围:https://mail.google.com/ 。点击“授权”。',
    },
    {
      en: 'Make sure IMAP is allowed for the users: Apps › Google Workspace › Gmail › End user access › POP and IMAP access.',
      'zh-CN': '确认已为用户开启 IMAP:“应用” › “Google Workspace” › “Gmail” › “最终用户访问权限” › “POP 和 IMAP 访问”。',
    },
    {
      en: 'Here, upload the JSON key file and list the Workspace mail domains, then bind the mailboxes below.',
      'zh-CN': '在本页上传 JSON 密钥文件并填写 Workspace 的邮件域名,然后在下方批量绑定邮箱。',
    },
  ],
  notes: [
    {
      en: 'The private key is stored encrypted and is never shown again; upload a new key to replace it, and delete the old key in the Cloud console.',
      'zh-CN': '私钥会加密保存,之后不再显示;如需更换,请上传新密钥,并在 Cloud 控制台删除旧密钥。',
    },
    {
      en: 'Google may take a few minutes (up to 24 hours) to apply a new delegation; until then binding fails with "unauthorized_client".',
      'zh-CN': '新添加的授权可能需要几分钟(最长 24 小时)才能生效;在此之前绑定会因“unauthorized_client”失败。',
    },
  ],
};

export function organisationGuides(clientIds: { google: string | null; microsoft: string | null }): OrganisationGuide[] {
  const fill = (g: OrganisationGuide, id: string | null): OrganisationGuide => {
    const put = (t: Text): Text => ({
      en: t.en.replaceAll('{clientId}', id ?? '…'),
      'zh-CN': t['zh-CN'].replaceAll('{clientId}', id ?? '…'),
    });
    return { ...g, title: g.title, steps: g.steps.map(put), notes: g.notes.map(put) };
  };
  return [fill(MICROSOFT, clientIds.microsoft), fill(GOOGLE, clientIds.google)];
}

/** docs/organisation-access.md, from the same steps the settings page shows (org-guide.test.ts keeps it in step). */
export function renderOrganisationGuideMarkdown(): string {
  const intro = [
    '# Organisation access: binding many mailboxes without passwords',
    '',
    '<!-- Generated from src/signin/organisation/org-guide.ts (UPDATE_DOCS=1 npx vitest run src/signin/organisation/org-guide.test.ts); the Settings › Organisation access page shows the same steps. -->',
    '',
    'An admin can bind the mailboxes of a whole sales team at once, with nobody signing in and no password stored,',
    'using the access the provider lets an administrator grant: **Microsoft 365 application permissions** (the',
    'Microsoft sign-in app gets an app-only token with client credentials, scope `https://outlook.office365.com/.default`)',
    'or **Google Workspace domain-wide delegation** (a service account signs a JWT naming each user, RFC 7523, scope',
    '`https://mail.google.com/`). Then Settings › Organisation access › *Bind mailboxes*: pick Tidings',
    "users or paste / upload a CSV of `address,owner` rows (owner = the Tidings user's email). Each mailbox is",
    'connection-tested, saved for its owner (visibility *private*) and synced; each row shows *bound* or *failed*',
    'with a code and what to do. Only admins see the page; every binding is in the audit log.',
    '',
    "The Google service account's private key is stored in the vault (encrypted, write-only, rotated with",
    '`keys rotate`); access tokens are never stored, only kept in memory until shortly before they expire.',
    '',
  ];
  const section = (g: OrganisationGuide, lang: 'en' | 'zh-CN') => [
    `## ${g.title[lang]}`,
    '',
    ...g.steps.map((s, i) => `${i + 1}. ${s[lang]}`),
    '',
    ...g.notes.map((n) => `- ${n[lang]}`),
    '',
  ];
  const guides = organisationGuides({ google: '{clientId}', microsoft: '{clientId}' });
  return [...intro, ...guides.flatMap((g) => [...section(g, 'en'), ...section(g, 'zh-CN')])].join('\n');
}
