import { SIGNIN_MESSAGES } from './oauth-fixes.ts';
import type { LocalText, ProbeFailureCode } from './types.ts';

export type MessageParams = Record<string, string | number | undefined>;

const s = (value: string | number | undefined): string => String(value ?? '');

/**
 * The plain explanation of each failure ("what happened"), filled with what the probe saw. The fix
 * ("what to do") is in fixes.ts. The server's own reply is appended by explain.ts.
 */
export const MESSAGES: Record<ProbeFailureCode, (p: MessageParams) => LocalText> = {
  ...(Object.fromEntries(Object.entries(SIGNIN_MESSAGES).map(([code, text]) => [code, () => text])) as Record<
    keyof typeof SIGNIN_MESSAGES,
    () => LocalText
  >),
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
