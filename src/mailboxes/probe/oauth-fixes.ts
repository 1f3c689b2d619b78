import type { SigninErrorCode } from '../../signin/errors.ts';
import type { LocalText } from './types.ts';

/**
 * What happened and what to do for the sign-in codes (src/signin/errors.ts): the connection test's
 * "Get an access token" stage reports them, and the wizard shows them for a failed sign-in flow.
 */
export const SIGNIN_MESSAGES: Record<SigninErrorCode, LocalText> = {
  oauth_revoked: {
    en: 'The provider no longer accepts this sign-in: it was revoked, the password was changed, the consent was removed or the account was disabled.',
    'zh-CN': '服务商已不再接受这次授权:授权已被撤销、密码已修改、同意已被移除,或账号已被停用。',
  },
  oauth_consent_required: {
    en: 'The provider wants the user to sign in and consent again (consent missing or an extra check such as multi-factor authentication).',
    'zh-CN': '服务商要求用户重新登录并同意授权(缺少同意,或需要多重身份验证等额外检查)。',
  },
  oauth_consent_refused: {
    en: 'The sign-in was cancelled: the permission was not granted.',
    'zh-CN': '登录已取消:没有授予所需的权限。',
  },
  oauth_admin_consent_required: {
    en: 'The organisation requires an administrator to approve this app before users can grant it access to mail.',
    'zh-CN': '该组织要求管理员先批准此应用,用户才能授权它访问邮箱。',
  },
  oauth_wrong_tenant: {
    en: 'This account does not belong to the organisation (tenant) the sign-in app is registered for.',
    'zh-CN': '该账号不属于登录应用所注册的组织(租户)。',
  },
  oauth_redirect_mismatch: {
    en: 'The provider refused the redirect URI: it is not registered for the sign-in app.',
    'zh-CN': '服务商拒绝了重定向 URI:它没有在登录应用中注册。',
  },
  oauth_client_secret_expired: {
    en: 'The client secret of the sign-in app has expired.',
    'zh-CN': '登录应用的客户端密钥已过期。',
  },
  oauth_client_invalid: {
    en: 'The provider does not accept the sign-in app: the client (application) ID or the client secret is wrong, or the app was deleted.',
    'zh-CN': '服务商不接受该登录应用:客户端(应用程序)ID 或客户端密钥错误,或者应用已被删除。',
  },
  oauth_scope_missing: {
    en: 'The permission to read and send mail was not granted.',
    'zh-CN': '没有获得读取和发送邮件的权限。',
  },
  oauth_app_missing: {
    en: 'No sign-in app is set up for this provider yet.',
    'zh-CN': '尚未为该服务商配置登录应用。',
  },
  oauth_provider_unreachable: {
    en: "The provider's sign-in service could not be reached or had a temporary failure.",
    'zh-CN': '无法连接服务商的登录服务,或其出现了临时故障。',
  },
  oauth_provider_error: {
    en: 'The provider refused the request with an error Tidings does not know.',
    'zh-CN': '服务商以 Tidings 无法识别的错误拒绝了请求。',
  },
  oauth_address_mismatch: {
    en: 'You signed in with a different account than the mailbox address.',
    'zh-CN': '您登录的账号与邮箱地址不一致。',
  },
  oauth_state_invalid: {
    en: 'This sign-in link is not valid any more: it expired (after 10 minutes), was used already, or belongs to another user.',
    'zh-CN': '此登录链接已失效:已过期(10 分钟)、已被使用,或属于其他用户。',
  },
  oauth_nonce_invalid: {
    en: 'The answer from the provider was not issued for this sign-in.',
    'zh-CN': '服务商返回的结果不是为这次登录签发的。',
  },
  oauth_id_token_invalid: {
    en: "The provider's identity token failed a check or did not include the email address.",
    'zh-CN': '服务商返回的身份令牌未通过校验,或其中没有邮箱地址。',
  },
  oauth_flow_not_found: {
    en: 'This sign-in does not exist (any more).',
    'zh-CN': '该登录不存在(或已被清除)。',
  },
  oauth_flow_unusable: {
    en: 'This sign-in cannot be used for this: it is not finished, already used, expired or for another address.',
    'zh-CN': '该登录无法用于此操作:尚未完成、已被使用、已过期,或属于其他地址。',
  },
  oauth_device_unsupported: {
    en: 'This provider has no sign-in with a code for mail.',
    'zh-CN': '该服务商不支持用设备代码登录邮箱。',
  },
};

export const SIGNIN_FIXES: Record<SigninErrorCode, LocalText> = {
  oauth_revoked: {
    en: 'Choose "Sign in again" and sign in with the mailbox\'s account; the sync continues where it stopped.',
    'zh-CN': '请点击“重新登录”,用该邮箱的账号登录;同步会从中断处继续。',
  },
  oauth_consent_required: {
    en: 'Choose "Sign in again" and complete every step the provider asks for (consent, multi-factor authentication).',
    'zh-CN': '请点击“重新登录”,并完成服务商要求的每一步(同意授权、多重身份验证)。',
  },
  oauth_consent_refused: {
    en: 'Sign in again and choose Allow (Accept) on the permission page: Tidings needs access to mail to sync it.',
    'zh-CN': '请重新登录,并在权限页面选择“允许”(接受):Tidings 需要邮件访问权限才能同步。',
  },
  oauth_admin_consent_required: {
    en: 'Ask your Microsoft 365 or Google Workspace administrator to approve the app: in Microsoft Entra admin center › Enterprise applications › the app › Permissions › Grant admin consent; in Google Admin console › Security › API controls › App access control › mark the app Trusted. Then sign in again.',
    'zh-CN':
      '请联系 Microsoft 365 或 Google Workspace 管理员批准该应用:在 Microsoft Entra 管理中心 › 企业应用程序 › 该应用 › 权限 › 授予管理员同意;在 Google 管理控制台 › 安全性 › API 控制 › 应用访问权限控制 › 将该应用设为“受信任”。然后重新登录。',
  },
  oauth_wrong_tenant: {
    en: 'Sign in with an account of the organisation, or ask the admin to set the sign-in app\'s tenant to "common" (any work or personal account) or "organizations" (any work account) in Settings › Mailboxes › Sign-in apps, and to make the app multi-tenant in Microsoft Entra.',
    'zh-CN':
      '请使用该组织的账号登录,或请管理员在 设置 › 邮箱 › 登录应用 中把租户改为“common”(任意工作或个人账号)或“organizations”(任意工作账号),并在 Microsoft Entra 中把应用设为多租户。',
  },
  oauth_redirect_mismatch: {
    en: 'Register the exact redirect URI shown in Settings › Mailboxes › Sign-in apps in the app (Google Cloud Console › Credentials › the OAuth client › Authorized redirect URIs; Microsoft Entra › App registrations › Authentication › Web › Redirect URIs). Check TIDINGS_BASE_URL is the address users open.',
    'zh-CN':
      '请把 设置 › 邮箱 › 登录应用 中显示的重定向 URI 原样注册到应用中(Google Cloud Console › 凭据 › 该 OAuth 客户端 › 已获授权的重定向 URI;Microsoft Entra › 应用注册 › 身份验证 › Web › 重定向 URI)。并确认 TIDINGS_BASE_URL 就是用户访问的地址。',
  },
  oauth_client_secret_expired: {
    en: 'Create a new client secret (Microsoft Entra › App registrations › the app › Certificates & secrets › New client secret), copy its Value (not its ID) and save it in Settings › Mailboxes › Sign-in apps. Then the affected mailboxes sign in again.',
    'zh-CN':
      '请新建客户端密钥(Microsoft Entra › 应用注册 › 该应用 › 证书和密码 › 新客户端密码),复制其“值”(不是“机密 ID”)并保存到 设置 › 邮箱 › 登录应用,然后让受影响的邮箱重新登录。',
  },
  oauth_client_invalid: {
    en: 'Check the client (application) ID and the client secret in Settings › Mailboxes › Sign-in apps against the app registration; for Microsoft paste the secret\'s Value, not its Secret ID. A public client (no secret) must have "Allow public client flows" on.',
    'zh-CN':
      '请在 设置 › 邮箱 › 登录应用 中核对客户端(应用程序)ID 和客户端密钥;Microsoft 请粘贴密钥的“值”,而不是“机密 ID”。不使用密钥的公共客户端需要开启“允许公共客户端流”。',
  },
  oauth_scope_missing: {
    en: 'Sign in again and keep every permission ticked. The admin checks the app has the mail permissions: Google https://mail.google.com/ (OAuth consent screen › Data access); Microsoft IMAP.AccessAsUser.All, SMTP.Send and offline_access (API permissions › Add a permission › APIs my organization uses › Office 365 Exchange Online).',
    'zh-CN':
      '请重新登录并保持所有权限勾选。管理员需确认应用具有邮件权限:Google 为 https://mail.google.com/(OAuth 同意屏幕 › 数据访问);Microsoft 为 IMAP.AccessAsUser.All、SMTP.Send 和 offline_access(API 权限 › 添加权限 › 我的组织使用的 API › Office 365 Exchange Online)。',
  },
  oauth_app_missing: {
    en: 'An admin registers the app once in Settings › Mailboxes › Sign-in apps (step-by-step instructions are on that page), or sets TIDINGS_GOOGLE_CLIENT_ID / TIDINGS_MICROSOFT_CLIENT_ID.',
    'zh-CN':
      '请管理员在 设置 › 邮箱 › 登录应用 中注册一次应用(该页面有分步说明),或设置 TIDINGS_GOOGLE_CLIENT_ID / TIDINGS_MICROSOFT_CLIENT_ID。',
  },
  oauth_provider_unreachable: {
    en: 'Tidings tries again by itself. If it lasts, check that the Tidings server can reach accounts.google.com / login.microsoftonline.com (firewall, proxy, DNS).',
    'zh-CN':
      'Tidings 会自动重试。如果持续出现,请检查 Tidings 服务器能否访问 accounts.google.com / login.microsoftonline.com(防火墙、代理、DNS)。',
  },
  oauth_provider_error: {
    en: "Read the provider's message above; sign in again, and if it persists check the app registration.",
    'zh-CN': '请查看上方服务商的提示;重新登录,如果仍然出现,请检查应用注册设置。',
  },
  oauth_address_mismatch: {
    en: 'Sign in with the account of the mailbox itself (use "Use another account" on the provider\'s page). If the difference is intended (an alias), an admin can confirm it.',
    'zh-CN': '请用该邮箱本身的账号登录(在服务商页面选择“使用其他账号”)。如果确实如此(例如别名),管理员可以确认这一差异。',
  },
  oauth_state_invalid: {
    en: 'Start the sign-in again from Tidings, in the same browser where you are signed in to Tidings, and finish it within 10 minutes.',
    'zh-CN': '请在已登录 Tidings 的同一浏览器中重新发起登录,并在 10 分钟内完成。',
  },
  oauth_nonce_invalid: {
    en: 'Start the sign-in again from Tidings. If it happens again, someone may be interfering with the sign-in: tell your admin.',
    'zh-CN': '请从 Tidings 重新发起登录。如果再次出现,可能有人在干扰登录过程,请告知管理员。',
  },
  oauth_id_token_invalid: {
    en: 'Start the sign-in again and check the server time of Tidings is right. The app must be allowed the "email" permission.',
    'zh-CN': '请重新发起登录,并检查 Tidings 服务器的时间是否正确。应用需要具有“email”权限。',
  },
  oauth_flow_not_found: {
    en: 'Start the sign-in again.',
    'zh-CN': '请重新发起登录。',
  },
  oauth_flow_unusable: {
    en: 'Finish the sign-in first, or start a new one for this mailbox.',
    'zh-CN': '请先完成登录,或为该邮箱重新发起登录。',
  },
  oauth_device_unsupported: {
    en: 'Use the browser sign-in. For Google the redirect URI only has to be reachable from the browser of the person signing in, not from the internet.',
    'zh-CN': '请使用浏览器登录。对于 Google,重定向 URI 只需要登录者的浏览器能访问,不需要公网可访问。',
  },
};
