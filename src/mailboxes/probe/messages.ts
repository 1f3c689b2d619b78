import { EXCHANGE_MESSAGES } from './exchange-explanations.ts';
import type { LocalText, OAuthFailureCode, ProbeFailureCode } from './types.ts';

export type MessageParams = Record<string, string | number | undefined>;

const s = (value: string | number | undefined): string => String(value ?? '');

const PROTOCOL_NAMES: Record<string, string> = { smtp: 'SMTP', graph: 'Microsoft Graph', ews: 'EWS' };
const proto = (p: MessageParams): string => PROTOCOL_NAMES[String(p.protocol)] ?? 'IMAP';
const providerName = (p: MessageParams, zh = false): string => (p.provider ? s(p.provider) : zh ? '该服务商' : 'this provider');

/** OAuth failures: the provider's token endpoint and sign-in flow (token stage), then the mail server's verdict. */
const OAUTH_MESSAGES: Record<OAuthFailureCode, (p: MessageParams) => LocalText> = {
  oauth_revoked: () => ({
    en: "The provider no longer accepts this mailbox's sign-in: access was revoked, the password changed, consent was removed or the account is disabled.",
    'zh-CN': '服务商已不再接受该邮箱的登录授权:访问权限已被撤销、密码已更改、同意已被移除,或账号已停用。',
  }),
  oauth_consent_required: () => ({
    en: "The provider wants the user to approve Tidings' access (again) before it gives a token.",
    'zh-CN': '服务商要求用户(重新)同意 Tidings 的访问权限后才会发放令牌。',
  }),
  oauth_consent_refused: () => ({
    en: "The sign-in was cancelled: access was not granted on the provider's page.",
    'zh-CN': '登录已取消:在服务商的页面上没有同意访问。',
  }),
  oauth_admin_consent_required: () => ({
    en: 'The organisation lets users sign in to Tidings only after an administrator has approved it.',
    'zh-CN': '该组织要求管理员先批准 Tidings,用户才能登录。',
  }),
  oauth_wrong_tenant: () => ({
    en: 'The account belongs to another organisation (tenant) than the one the sign-in app is set up for.',
    'zh-CN': '该账号所属的组织(租户)与登录应用所配置的组织不同。',
  }),
  oauth_redirect_mismatch: () => ({
    en: "The provider refused Tidings' redirect address: it is not registered for the sign-in app.",
    'zh-CN': '服务商拒绝了 Tidings 的回调地址:该地址没有在登录应用中登记。',
  }),
  oauth_client_secret_expired: () => ({
    en: "The sign-in app's client secret has expired.",
    'zh-CN': '登录应用的客户端密钥已过期。',
  }),
  oauth_client_invalid: () => ({
    en: 'The provider does not recognise the sign-in app: the client ID or the client secret is wrong.',
    'zh-CN': '服务商无法识别登录应用:客户端 ID 或客户端密钥不正确。',
  }),
  oauth_scope_missing: (p) => ({
    en: `The token is not good for this mailbox's ${proto(p)}: the mail permission was not granted, or the token belongs to another account.`,
    'zh-CN': `该令牌不能用于此邮箱的 ${proto(p)}:没有授予邮件权限,或令牌属于其他账号。`,
  }),
  oauth_app_missing: (p) => ({
    en: `No sign-in app is set up for ${providerName(p)} yet.`,
    'zh-CN': `尚未配置${providerName(p, true)}的登录应用。`,
  }),
  oauth_provider_unreachable: () => ({
    en: "The provider's sign-in service could not be reached, or it failed for a moment.",
    'zh-CN': '无法连接服务商的登录服务,或该服务暂时出现故障。',
  }),
  oauth_address_mismatch: () => ({
    en: "The account that signed in is not this mailbox's address.",
    'zh-CN': '登录所用的账号与该邮箱地址不一致。',
  }),
  oauth_state_invalid: () => ({
    en: 'The sign-in could not be checked: it expired, was already used, or was not started here.',
    'zh-CN': '无法验证此次登录:已过期、已被使用,或并非从这里发起。',
  }),
  oauth_nonce_invalid: () => ({
    en: "The provider's answer does not belong to this sign-in (the ID token's nonce does not match).",
    'zh-CN': '服务商的返回不属于此次登录(ID 令牌的 nonce 不一致)。',
  }),
  oauth_flow_not_found: () => ({
    en: 'This sign-in is unknown or has expired.',
    'zh-CN': '找不到此次登录,或已过期。',
  }),
  oauth_provider_error: () => ({
    en: 'The provider refused the request with an error Tidings does not know.',
    'zh-CN': '服务商以 Tidings 无法识别的错误拒绝了请求。',
  }),
  oauth_id_token_invalid: () => ({
    en: "The provider's identity token failed a check (issuer, audience, expiry) or did not include the email address.",
    'zh-CN': '服务商返回的身份令牌未通过校验(签发者、受众、有效期),或其中没有邮箱地址。',
  }),
  oauth_flow_unusable: () => ({
    en: 'This sign-in cannot be used for this: it is not finished, already used, expired or for another address.',
    'zh-CN': '该登录无法用于此操作:尚未完成、已被使用、已过期,或属于其他地址。',
  }),
  oauth_device_unsupported: () => ({
    en: 'This provider has no sign-in with a device code for mail.',
    'zh-CN': '该服务商不支持用设备代码登录邮箱。',
  }),
  oauth_token_rejected: (p) => ({
    en: `The ${proto(p)} server refused the access token.`,
    'zh-CN': `${proto(p)} 服务器拒绝了访问令牌。`,
  }),
  oauth_imap_disabled: () => ({
    en: 'The server refused a fresh access token for IMAP: IMAP is turned off for this mailbox or its organisation, or the sign-in app may not use IMAP.',
    'zh-CN': '服务器拒绝了刚获取的 IMAP 访问令牌:该邮箱或其所在组织关闭了 IMAP,或登录应用没有使用 IMAP 的权限。',
  }),
  oauth_smtp_disabled: () => ({
    en: 'The server does not let this mailbox send with a token: SMTP AUTH is turned off for the mailbox or its organisation.',
    'zh-CN': '服务器不允许该邮箱使用令牌发信:该邮箱或其所在组织关闭了 SMTP AUTH(经过身份验证的 SMTP)。',
  }),
};

/**
 * The plain explanation of each failure ("what happened"), filled with what the probe saw. The fix
 * ("what to do") is in fixes.ts. The server's own reply is appended by explain.ts.
 */
export const MESSAGES: Record<ProbeFailureCode, (p: MessageParams) => LocalText> = {
  ...OAUTH_MESSAGES,
  ...EXCHANGE_MESSAGES,
  dns_not_found: (p) =>
    p.why === 'no_answer'
      ? {
          en: `The name ${s(p.host)} could not be looked up: the DNS server did not answer.`,
          'zh-CN': `无法解析 ${s(p.host)}:DNS 服务器没有响应。`,
        }
      : { en: `The server name ${s(p.host)} does not exist in DNS.`, 'zh-CN': `服务器地址 ${s(p.host)} 不存在(DNS 查不到这个域名)。` },
  connect_refused: (p) => ({
    en: `${s(p.host)} refused the connection on port ${s(p.port)}: nothing is listening there, or a firewall rejects it.`,
    'zh-CN': `${s(p.host)} 拒绝了端口 ${s(p.port)} 的连接:该端口没有服务在监听,或被防火墙拒绝。`,
  }),
  connect_timeout: (p) =>
    p.stage === 'greeting'
      ? {
          en: `${s(p.host)}:${s(p.port)} accepted the connection but sent no greeting within ${s(p.seconds)} s.`,
          'zh-CN': `${s(p.host)}:${s(p.port)} 接受了连接,但在 ${s(p.seconds)} 秒内没有发送欢迎信息。`,
        }
      : p.why === 'unreachable'
        ? {
            en: `${s(p.host)} cannot be reached from this server (no route to it).`,
            'zh-CN': `本服务器无法访问 ${s(p.host)}(没有可用的网络路由)。`,
          }
        : {
            en: `${s(p.host)} did not answer on port ${s(p.port)} within ${s(p.seconds)} s; the connection is probably blocked by a firewall.`,
            'zh-CN': `${s(p.host)} 在 ${s(p.seconds)} 秒内没有响应端口 ${s(p.port)} 的连接,很可能被防火墙拦截。`,
          },
  tls_handshake_failed: (p) => ({
    en: `The TLS (SSL) handshake with the server failed (${s(p.why)}).`,
    'zh-CN': `与服务器的 TLS(SSL)握手失败(${s(p.why)})。`,
  }),
  tls_untrusted_certificate: (p) =>
    p.pinChanged === 'yes'
      ? {
          en: `The server's certificate has changed since you trusted it. The new certificate (${s(p.subject)}, SHA-256 ${s(p.fingerprint)}) is not trusted.`,
          'zh-CN': `服务器证书与您之前信任的证书不同。新证书(${s(p.subject)},SHA-256 ${s(p.fingerprint)})不受信任。`,
        }
      : {
          en: `The server's certificate (${s(p.subject)}, SHA-256 ${s(p.fingerprint)}) is not issued by a trusted authority (self-signed or a private CA).`,
          'zh-CN': `服务器证书(${s(p.subject)},SHA-256 ${s(p.fingerprint)})不是由受信任的证书机构签发的(自签名或私有 CA)。`,
        },
  tls_hostname_mismatch: (p) => ({
    en: `The server's certificate is not valid for the name ${s(p.host)}; it is issued for ${s(p.altNames)}.`,
    'zh-CN': `服务器证书与地址 ${s(p.host)} 不匹配;证书签发给的是 ${s(p.altNames)}。`,
  }),
  tls_certificate_expired: (p) =>
    p.expired === 'yes'
      ? { en: `The server's certificate expired on ${s(p.validTo)}.`, 'zh-CN': `服务器证书已于 ${s(p.validTo)} 过期。` }
      : {
          en: `The server's certificate is not valid yet (check this server's clock).`,
          'zh-CN': `服务器证书尚未生效(请检查本服务器的系统时间)。`,
        },
  plaintext_refused: (p) =>
    p.before === 'yes'
      ? {
          en: 'An unencrypted connection was chosen; Tidings does not send passwords without TLS unless an administrator allows it.',
          'zh-CN': '您选择了不加密的连接;除非管理员明确允许,Tidings 不会在没有 TLS 加密的情况下发送密码。',
        }
      : { en: 'The server refuses to sign in without encryption.', 'zh-CN': '服务器拒绝在未加密的连接上登录。' },
  starttls_unavailable: () => ({
    en: 'STARTTLS was chosen, but the server does not offer STARTTLS on this port.',
    'zh-CN': '您选择了 STARTTLS,但服务器在这个端口上不支持 STARTTLS。',
  }),
  auth_failed: () => ({
    en: 'The server refused the username or password.',
    'zh-CN': '服务器拒绝了用户名或密码。',
  }),
  auth_method_unsupported: (p) => ({
    en: `The server does not accept a password sign-in method Tidings can use${p.mechanisms ? ` (it offers: ${s(p.mechanisms)})` : ''}.`,
    'zh-CN': `服务器不接受 Tidings 可用的密码登录方式${p.mechanisms ? `(服务器支持:${s(p.mechanisms)})` : ''}。`,
  }),
  imap_disabled_by_provider: (p) => ({
    en: `The provider has not enabled ${p.protocol === 'smtp' ? 'SMTP' : 'IMAP'} access for this mailbox.`,
    'zh-CN': `邮箱服务商尚未为该邮箱开启 ${p.protocol === 'smtp' ? 'SMTP' : 'IMAP'} 服务。`,
  }),
  unsafe_login_needs_id: (p) =>
    p.idSent === 'yes'
      ? {
          en: 'The server marked the sign-in as unsafe ("Unsafe Login") and refused to open the INBOX, although Tidings identified itself with IMAP ID.',
          'zh-CN': '服务器将此次登录判定为“不安全登录”(Unsafe Login)并拒绝打开收件箱,尽管 Tidings 已通过 IMAP ID 表明了客户端身份。',
        }
      : {
          en: 'The server marked the sign-in as unsafe ("Unsafe Login") and refused to open the INBOX: it wants the client to identify itself with IMAP ID, but did not advertise ID, so Tidings could not send it.',
          'zh-CN':
            '服务器将此次登录判定为“不安全登录”(Unsafe Login)并拒绝打开收件箱:它要求客户端通过 IMAP ID 表明身份,但没有声明支持 ID,因此 Tidings 无法发送。',
        },
  mailbox_unavailable: () => ({
    en: 'Signed in, but the server would not open the INBOX.',
    'zh-CN': '登录成功,但服务器无法打开收件箱(INBOX)。',
  }),
  rate_limited: () => ({
    en: 'The server is limiting connections or sign-ins for this account right now.',
    'zh-CN': '服务器目前正在限制该账号的连接或登录次数。',
  }),
  wrong_port_security: (p) =>
    p.chosen === 'tls'
      ? {
          en: `SSL/TLS was chosen, but port ${s(p.port)} expects an unencrypted start (STARTTLS or plain): the server answered in plain text.`,
          'zh-CN': `您选择了 SSL/TLS,但端口 ${s(p.port)} 需要先以明文连接(STARTTLS 或不加密):服务器返回了明文。`,
        }
      : {
          en: `${p.chosen === 'starttls' ? 'STARTTLS' : 'An unencrypted connection'} was chosen, but port ${s(p.port)} expects SSL/TLS from the start: the server waited for a TLS handshake.`,
          'zh-CN': `您选择了 ${p.chosen === 'starttls' ? 'STARTTLS' : '不加密连接'},但端口 ${s(p.port)} 要求一开始就使用 SSL/TLS:服务器在等待 TLS 握手。`,
        },
  protocol_error: (p) => ({
    en: `The server's answer was not what a${p.protocol === 'smtp' ? 'n SMTP' : 'n IMAP'} server says${p.why ? ` (${s(p.why)})` : ''}.`,
    'zh-CN': `服务器的回应不符合 ${p.protocol === 'smtp' ? 'SMTP' : 'IMAP'} 协议${p.why ? `(${s(p.why)})` : ''}。`,
  }),
  not_a_mail_server: (p) => ({
    en: `${s(p.host)}:${s(p.port)} answered, but not as a${p.protocol === 'smtp' ? 'n SMTP' : 'n IMAP'} server would: it is some other kind of service. What it said is not shown.`,
    'zh-CN': `${s(p.host)}:${s(p.port)} 有响应,但不是 ${p.protocol === 'smtp' ? 'SMTP' : 'IMAP'} 邮件服务器,而是其他类型的服务。其回应内容不予显示。`,
  }),
  host_not_allowed: (p) =>
    p.why === 'private'
      ? {
          en: `${s(p.host)} is an address on a private network, which only admins may use for a mailbox here.`,
          'zh-CN': `${s(p.host)} 是内网地址,在这里只有管理员可以为邮箱使用这类地址。`,
        }
      : {
          en: `${s(p.host)} is an address of this machine or of the cloud's internal services (loopback, link-local or metadata), which mail settings may not use.`,
          'zh-CN': `${s(p.host)} 是本机或云平台内部服务的地址(回环、链路本地或元数据地址),邮箱设置不能使用这类地址。`,
        },
  send_failed: () => ({
    en: 'Signed in, but the server would not accept the test message.',
    'zh-CN': '登录成功,但服务器拒绝发送测试邮件。',
  }),
};
