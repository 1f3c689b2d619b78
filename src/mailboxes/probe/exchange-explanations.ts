// What happened and what to do for the failures only Exchange (EWS) and Microsoft Graph mailboxes meet.
import type { ExchangeFailureCode, LocalText } from './types.ts';

export type { ExchangeFailureCode };

type MessageParams = Record<string, string | number | undefined>;
const s = (value: string | number | undefined): string => String(value ?? '');

export const EXCHANGE_MESSAGES: Record<ExchangeFailureCode, (p: MessageParams) => LocalText> = {
  autodiscover_not_found: (p) => ({
    en: `Autodiscover found no Exchange Web Services (EWS) address for ${s(p.email)}.`,
    'zh-CN': `自动发现(Autodiscover)没有找到 ${s(p.email)} 的 Exchange Web Services(EWS)地址。`,
  }),
  autodiscover_redirected: (p) => ({
    en: `Autodiscover sent us to another place: ${s(p.target)}. Tidings follows a redirect to another domain only when you confirm it.`,
    'zh-CN': `自动发现把我们重定向到了另一个地址:${s(p.target)}。跳转到其他域名时,需要您确认后 Tidings 才会继续。`,
  }),
  ews_disabled: () => ({
    en: 'The server refused Exchange Web Services (EWS) for this user: EWS is switched off for the mailbox or the whole server.',
    'zh-CN': '服务器拒绝该用户使用 Exchange Web Services(EWS):该邮箱或整个服务器关闭了 EWS。',
  }),
  ntlm_refused: () => ({
    en: 'The server did not accept the Windows (NTLM) sign-in, and offers no other sign-in Tidings can use over this connection.',
    'zh-CN': '服务器不接受 Windows(NTLM)登录,也没有提供 Tidings 在此连接上可用的其他登录方式。',
  }),
  access_denied: () => ({
    en: 'The sign-in worked, but the server does not let this account read the mailbox (ErrorAccessDenied).',
    'zh-CN': '登录成功,但服务器不允许该账号读取此邮箱(ErrorAccessDenied)。',
  }),
  mailbox_move_in_progress: () => ({
    en: 'Exchange is moving this mailbox to another database or server right now (ErrorMailboxMoveInProgress).',
    'zh-CN': 'Exchange 正在把该邮箱迁移到另一个数据库或服务器(ErrorMailboxMoveInProgress)。',
  }),
  server_busy: (p) => ({
    en: `The server is busy and asked us to wait${p.waitSeconds ? ` ${s(p.waitSeconds)} s` : ''} before trying again.`,
    'zh-CN': `服务器繁忙,要求我们${p.waitSeconds ? ` ${s(p.waitSeconds)} 秒后` : '稍后'}再试。`,
  }),
  graph_mailbox_not_enabled: () => ({
    en: 'Microsoft Graph says this account has no Exchange Online mailbox (MailboxNotEnabledForRESTAPI): it is unlicensed, inactive or kept on an on-premises Exchange Server.',
    'zh-CN':
      'Microsoft Graph 表示该账号没有 Exchange Online 邮箱(MailboxNotEnabledForRESTAPI):未分配许可证、处于非活动状态,或邮箱仍在本地 Exchange 服务器上。',
  }),
};

export const EXCHANGE_FIXES: Record<ExchangeFailureCode, LocalText> = {
  autodiscover_not_found: {
    en: 'Type the EWS address yourself: it usually is https://mail.<your domain>/EWS/Exchange.asmx (Outlook on the web runs on the same host, under /owa). Your Exchange admin can read it with Get-WebServicesVirtualDirectory | Format-List ExternalUrl.',
    'zh-CN':
      '请手动填写 EWS 地址:通常是 https://mail.<您的域名>/EWS/Exchange.asmx(与网页版 Outlook 同一主机,网页版在 /owa 下)。Exchange 管理员可用 Get-WebServicesVirtualDirectory | Format-List ExternalUrl 查看。',
  },
  autodiscover_redirected: {
    en: 'If the address shown belongs to your organisation (a hosting partner or your Exchange server), confirm it and test again; otherwise type the EWS address your admin gives you.',
    'zh-CN': '如果显示的地址属于贵组织(托管服务商或您的 Exchange 服务器),请确认后重新测试;否则请填写管理员提供的 EWS 地址。',
  },
  ews_disabled: {
    en: 'Ask your Exchange admin to allow EWS for this mailbox: Set-CASMailbox -Identity <address> -EwsEnabled $true (and check Set-OrganizationConfig -EwsEnabled and any EwsBlockList that names Tidings).',
    'zh-CN':
      '请 Exchange 管理员为该邮箱开启 EWS:Set-CASMailbox -Identity <地址> -EwsEnabled $true(并检查 Set-OrganizationConfig -EwsEnabled 以及是否有 EwsBlockList 屏蔽了 Tidings)。',
  },
  ntlm_refused: {
    en: 'Check the user name form (DOMAIN\\user or user@domain) and the password. If the server allows only Kerberos (Negotiate without NTLM), ask your admin to enable NTLM or Basic authentication over HTTPS on the EWS virtual directory.',
    'zh-CN':
      '请检查用户名格式(域\\用户名 或 用户名@域名)和密码。如果服务器只允许 Kerberos(不含 NTLM 的 Negotiate),请管理员在 EWS 虚拟目录上启用 NTLM 或 HTTPS 上的基本身份验证。',
  },
  access_denied: {
    en: 'Bind the mailbox with its own account, or ask your Exchange admin to grant this account Full Access to it (Add-MailboxPermission -AccessRights FullAccess). For Microsoft 365, check that the sign-in app has the Mail.ReadWrite permission.',
    'zh-CN':
      '请使用该邮箱自己的账号绑定,或请 Exchange 管理员授予此账号完全访问权限(Add-MailboxPermission -AccessRights FullAccess)。如果是 Microsoft 365,请检查登录应用是否具有 Mail.ReadWrite 权限。',
  },
  mailbox_move_in_progress: {
    en: 'Wait until the move is finished (usually minutes to a few hours), then test again. Tidings keeps retrying a bound mailbox by itself.',
    'zh-CN': '请等待迁移完成(通常几分钟到几小时)后重新测试。已绑定的邮箱 Tidings 会自动重试。',
  },
  server_busy: {
    en: 'Nothing to change: Tidings waits as long as the server asks and tries again. If it happens often, ask your admin about the throttling policy (Get-ThrottlingPolicy) for this account.',
    'zh-CN': '无需更改任何设置:Tidings 会按服务器要求的时间等待后重试。如果经常发生,请向管理员咨询该账号的限流策略(Get-ThrottlingPolicy)。',
  },
  graph_mailbox_not_enabled: {
    en: 'Assign the user an Exchange Online licence in the Microsoft 365 admin center and wait until the mailbox is created. If the mailbox lives on your own Exchange Server, choose "Your own Exchange Server" instead.',
    'zh-CN':
      '请在 Microsoft 365 管理中心为该用户分配 Exchange Online 许可证,并等待邮箱创建完成。如果邮箱在您自己的 Exchange 服务器上,请改选“自己的 Exchange 服务器”。',
  },
};
