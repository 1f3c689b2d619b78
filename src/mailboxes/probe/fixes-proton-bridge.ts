import type { LocalText, ProbeFailureCode } from './types.ts';

/**
 * Proton Mail Bridge is a program on the Tidings machine, not a provider's server, so its failures have
 * their own causes: Bridge not running, loopback not allowed, its self-signed certificate, its password.
 */
export const protonBridgeFixes: Partial<Record<ProbeFailureCode, LocalText>> = {
  connect_refused: {
    en: 'Nothing answers on this port of the Tidings machine: start Proton Mail Bridge there (signed in to the account), and check the IMAP and SMTP ports Bridge shows (1143 and 1025 unless changed).',
    'zh-CN':
      'Tidings 所在机器的该端口没有响应:请在这台机器上启动 Proton Mail Bridge(并登录该账户),并核对 Bridge 显示的 IMAP 与 SMTP 端口(默认 1143 与 1025)。',
  },
  host_not_allowed: {
    en: 'Proton Mail Bridge listens only on 127.0.0.1 of the machine it runs on. The operator must run Bridge on the Tidings machine and set TIDINGS_ALLOW_LOCAL_MAIL_HOSTS=true.',
    'zh-CN':
      'Proton Mail Bridge 只监听其所在机器的 127.0.0.1。运维人员需要在 Tidings 所在机器上运行 Bridge,并设置 TIDINGS_ALLOW_LOCAL_MAIL_HOSTS=true。',
  },
  tls_untrusted_certificate: {
    en: 'Proton Mail Bridge uses its own self-signed certificate. Export it from Bridge (Settings › Export TLS certificates), compare its SHA-256 fingerprint with the one shown here, then choose "Trust this certificate".',
    'zh-CN':
      'Proton Mail Bridge 使用自己的自签名证书。请从 Bridge 导出证书(设置 › 导出 TLS 证书),核对其 SHA-256 指纹与此处显示的一致后,选择“信任此证书”。',
  },
  auth_failed: {
    en: 'Use the user name and the Bridge password that Proton Mail Bridge shows in the account’s mailbox details, not your Proton account password.',
    'zh-CN': '请填写 Proton Mail Bridge 中该账户邮箱详情里显示的用户名和 Bridge 密码,而不是 Proton 账户密码。',
  },
};
