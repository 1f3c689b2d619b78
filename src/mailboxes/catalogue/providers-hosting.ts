import { starttls, tls } from './server-settings.ts';
import type { CatalogueEntry, LocalText } from './types.ts';

const hostedPasswordHelp: LocalText = {
  en: 'The password of this mailbox, as set in the hosting control panel.',
  'zh-CN': '填写该邮箱的密码(在主机服务商的控制面板中设置的那个)。',
};

/**
 * IONOS (formerly 1&1) names its mail servers after the country site the contract was made on; company
 * domains are found by their MX hosts (mx00.ionos.de, ...).
 */
function ionos(id: string, tld: string, region: LocalText, helpUrl: string, mxPatterns: string[]): CatalogueEntry {
  return {
    id,
    name: { en: `IONOS (${region.en})`, 'zh-CN': `IONOS(${region['zh-CN']})` },
    kind: 'enterprise',
    match: { domains: [], mxPatterns: [`.ionos.${tld}`, ...mxPatterns] },
    imap: tls(`imap.ionos.${tld}`, 993),
    smtp: tls(`smtp.ionos.${tld}`, 465),
    username: 'email',
    signIn: { secrets: ['password'] },
    quirks: [],
    help: {
      en: `Use the full email address and the mailbox password set in the IONOS control panel (Email › the mailbox). Servers: imap.ionos.${tld} and smtp.ionos.${tld}.`,
      'zh-CN': `使用完整邮箱地址和在 IONOS 控制面板(电子邮件 › 该邮箱)中设置的邮箱密码。服务器:imap.ionos.${tld} 与 smtp.ionos.${tld}。`,
    },
    authHelp: hostedPasswordHelp,
    sources: [
      helpUrl,
      'https://ionos.fr/assistance/email/mise-en-place-demail-made-in-germany/serveur-entrant',
      'https://github.com/thunderbird/autoconfig/blob/master/ispdb/1und1.de.xml',
    ],
  };
}

// 1&1's older customer MX hosts (mx00.kundenserver.de) are still IONOS Germany's.
export const ionosDe = ionos('ionos_de', 'de', { en: 'Germany', 'zh-CN': '德国' }, 'https://www.ionos.de/hilfe/e-mail/', [
  '.kundenserver.de',
]);
export const ionosUk = ionos('ionos_uk', 'co.uk', { en: 'United Kingdom', 'zh-CN': '英国' }, 'https://www.ionos.co.uk/help/email/', []);
export const ionosUs = ionos('ionos_us', 'com', { en: 'United States', 'zh-CN': '美国' }, 'https://www.ionos.com/help/email/', []);
export const ionosFr = ionos('ionos_fr', 'fr', { en: 'France', 'zh-CN': '法国' }, 'https://www.ionos.fr/assistance/email/', []);
export const ionosEs = ionos('ionos_es', 'es', { en: 'Spain', 'zh-CN': '西班牙' }, 'https://www.ionos.es/ayuda/correo-electronico/', []);

export const ovh: CatalogueEntry = {
  id: 'ovh',
  name: { en: 'OVHcloud (MX Plan)', 'zh-CN': 'OVHcloud(MX Plan)' },
  kind: 'enterprise',
  match: { domains: [], mxPatterns: ['.mail.ovh.net'] },
  imap: tls('ssl0.ovh.net', 993),
  smtp: tls('ssl0.ovh.net', 465),
  username: 'email',
  signIn: { secrets: ['password'] },
  quirks: [],
  help: {
    en: 'MX Plan mailboxes use ssl0.ovh.net with the full address and the mailbox password set in the OVHcloud Control Panel. Email Pro uses pro1.mail.ovh.net (IMAP 993, SMTP 587 STARTTLS): enter it by hand. Hosted Exchange binds through EWS: choose Exchange Server (on-premises) and type the EWS address OVHcloud gives.',
    'zh-CN':
      'MX Plan 邮箱使用 ssl0.ovh.net,用户名为完整地址,密码为在 OVHcloud 控制面板中设置的邮箱密码。Email Pro 使用 pro1.mail.ovh.net(IMAP 993,SMTP 587 STARTTLS),请手动填写。托管 Exchange 通过 EWS 绑定:请选择 Exchange Server(本地部署),并填写 OVHcloud 提供的 EWS 地址。',
  },
  authHelp: hostedPasswordHelp,
  sources: ['https://help.ovhcloud.com/', 'https://github.com/thunderbird/autoconfig/blob/master/ispdb/ovh.net.xml'],
};

export const godaddy: CatalogueEntry = {
  id: 'godaddy',
  name: { en: 'GoDaddy Workspace Email', 'zh-CN': 'GoDaddy Workspace 邮箱' },
  kind: 'enterprise',
  match: { domains: [], mxPatterns: ['.secureserver.net'] },
  imap: tls('imap.secureserver.net', 993),
  smtp: tls('smtpout.secureserver.net', 465),
  username: 'email',
  signIn: { secrets: ['password'] },
  quirks: [],
  help: {
    en: 'Workspace Email uses imap.secureserver.net and smtpout.secureserver.net with the full address and the mailbox password; accounts in the European data centre use imap.europe.secureserver.net and smtpout.europe.secureserver.net. GoDaddy’s Microsoft 365 email is bound as Microsoft 365.',
    'zh-CN':
      'Workspace 邮箱使用 imap.secureserver.net 与 smtpout.secureserver.net,用户名为完整地址,密码为邮箱密码;欧洲数据中心的账号使用 imap.europe.secureserver.net 与 smtpout.europe.secureserver.net。GoDaddy 提供的 Microsoft 365 邮箱请按 Microsoft 365 绑定。',
  },
  authHelp: hostedPasswordHelp,
  sources: ['https://www.godaddy.com/help', 'https://github.com/thunderbird/autoconfig/blob/master/ispdb/wildwestdomains.com.xml'],
};

export const rackspace: CatalogueEntry = {
  id: 'rackspace',
  name: { en: 'Rackspace Email', 'zh-CN': 'Rackspace 邮箱' },
  kind: 'enterprise',
  match: { domains: [], mxPatterns: ['.emailsrvr.com'] },
  imap: tls('secure.emailsrvr.com', 993),
  smtp: tls('secure.emailsrvr.com', 465),
  username: 'email',
  signIn: { secrets: ['password'] },
  quirks: [],
  help: {
    en: 'Use the full address and the mailbox password. Hosted Exchange at Rackspace binds through EWS: choose Exchange Server (on-premises) instead.',
    'zh-CN': '使用完整邮箱地址和邮箱密码。Rackspace 托管的 Exchange 通过 EWS 绑定:请改选 Exchange Server(本地部署)。',
  },
  authHelp: hostedPasswordHelp,
  sources: ['https://docs.rackspace.com/', 'https://github.com/thunderbird/autoconfig/blob/master/ispdb/emailsrvr.com.xml'],
};

/**
 * Proton Mail is end-to-end encrypted, so no mail app reaches Proton's servers directly: Proton Mail Bridge,
 * a program on the same machine, decrypts and serves IMAP and SMTP on 127.0.0.1 with a self-signed certificate.
 */
export const protonBridge: CatalogueEntry = {
  id: 'proton_bridge',
  name: { en: 'Proton Mail (through Proton Mail Bridge)', 'zh-CN': 'Proton Mail(通过 Proton Mail Bridge)' },
  kind: 'public',
  match: { domains: ['proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me'], mxPatterns: ['.protonmail.ch'] },
  imap: starttls('127.0.0.1', 1143),
  smtp: starttls('127.0.0.1', 1025),
  username: 'email',
  signIn: {
    secrets: ['password'],
    note: {
      en: 'The password is the Bridge password that Proton Mail Bridge shows, not the Proton account password.',
      'zh-CN': '密码是 Proton Mail Bridge 显示的 Bridge 密码,不是 Proton 账户密码。',
    },
  },
  quirks: ['local_bridge'],
  help: {
    en: 'Proton Mail Bridge (paid Proton plans) must run on the Tidings machine itself: it listens only on 127.0.0.1 (IMAP 1143 STARTTLS, SMTP 1025 STARTTLS; change the ports here if you changed them in Bridge). The operator must set TIDINGS_ALLOW_LOCAL_MAIL_HOSTS=true. Bridge uses its own self-signed certificate: check its SHA-256 fingerprint against the certificate Bridge exports (Settings › Export TLS certificates) and trust it for this mailbox. The user name and the Bridge password are in Bridge under the account’s mailbox details.',
    'zh-CN':
      'Proton Mail Bridge(Proton 付费套餐提供)必须运行在 Tidings 所在的机器上:它只监听 127.0.0.1(IMAP 1143 STARTTLS,SMTP 1025 STARTTLS;若在 Bridge 中改过端口,请在此同步修改)。运维人员需设置 TIDINGS_ALLOW_LOCAL_MAIL_HOSTS=true。Bridge 使用自己的自签名证书:请将其 SHA-256 指纹与 Bridge 导出的证书(设置 › 导出 TLS 证书)核对后,为该邮箱信任此证书。用户名和 Bridge 密码可在 Bridge 中该账户的邮箱详情里找到。',
  },
  authHelp: {
    en: 'Use the Bridge password shown in Proton Mail Bridge, not your Proton password.',
    'zh-CN': '请填写 Proton Mail Bridge 中显示的 Bridge 密码,而不是 Proton 账户密码。',
  },
  sources: [
    'https://proton.me/support/protonmail-bridge-faq',
    'https://proton.me/support/macos-certificate-warning',
    'https://github.com/ProtonMail/proton-bridge',
  ],
};
