// What happened and what to do for the failures only a running sync meets (the connection test has its own
// codes for everything it can see; a sync error that is one of those is explained with the test's words).
import { resolveProvider, fixFor } from './explain.ts';
import { MESSAGES, type MessageParams } from './messages.ts';
import type { LocalText, ProbeFailureCode } from './types.ts';

export type SyncOnlyFailureCode =
  /** The connection failed in a way the connection test would name more precisely: test it. */
  | 'connect_failed'
  /** An open connection ended (network, server restart): retried by itself. */
  | 'connection_lost'
  /** The server refused a command it should have taken. */
  | 'server_error'
  /** The server's certificate is not the one trusted when the mailbox was bound (or pinned since). */
  | 'certificate_changed'
  /** The server says the mailbox is over its storage quota. */
  | 'over_quota'
  /** The server listed messages and then did not return them; they are tried again later. */
  | 'incomplete_fetch'
  /** A folder chosen for sync is gone from the server. */
  | 'folder_not_found'
  /** The mailbox has no stored password (removed, or never entered). */
  | 'no_secret'
  /** The mailbox was bound by signing in, but this server has no sign-in app for its provider any more. */
  | 'no_token_source'
  /** The object store that holds mail's bytes (TIDINGS_BLOB_URL) did not answer or refused Tidings. */
  | 'blob_store_unavailable'
  /** Anything else (the server log has the details). */
  | 'sync_failed';

/** Every code a mailbox's failure can carry: the connection test's and the sync's, one catalogue. */
export type FailureCode = ProbeFailureCode | SyncOnlyFailureCode;

const s = (value: string | number | undefined): string => String(value ?? '');

const SYNC_MESSAGES: Record<SyncOnlyFailureCode, (p: MessageParams) => LocalText> = {
  connect_failed: (p) => ({
    en: `Tidings could not connect to ${s(p.host)}.`,
    'zh-CN': `Tidings 无法连接到 ${s(p.host)}。`,
  }),
  connection_lost: (p) => ({
    en: `The connection to ${s(p.host)} ended in the middle of syncing.`,
    'zh-CN': `同步过程中与 ${s(p.host)} 的连接中断了。`,
  }),
  server_error: () => ({
    en: 'The mail server refused a request it should have accepted.',
    'zh-CN': '邮件服务器拒绝了一个本应接受的请求。',
  }),
  certificate_changed: (p) => ({
    en: `The certificate ${s(p.host)} presents is not the one Tidings trusted for this mailbox: it changed, or someone is intercepting the connection. Tidings stopped syncing until you check it.`,
    'zh-CN': `${s(p.host)} 出示的证书不是 Tidings 为该邮箱信任的证书:证书已更换,或连接可能被劫持。在您确认之前,Tidings 已停止同步。`,
  }),
  over_quota: () => ({
    en: 'The mail server says this mailbox is over its storage quota.',
    'zh-CN': '邮件服务器提示该邮箱的存储空间已满(超出配额)。',
  }),
  incomplete_fetch: (p) => ({
    en: `The server listed ${s(p.count)} message(s) in ${s(p.folder)} and then did not return them.`,
    'zh-CN': `服务器在“${s(p.folder)}”中列出了 ${s(p.count)} 封邮件,但随后没有返回它们的内容。`,
  }),
  folder_not_found: (p) => ({
    en: `The folder ${s(p.folder)} is gone from the server.`,
    'zh-CN': `服务器上已经没有“${s(p.folder)}”这个文件夹了。`,
  }),
  no_secret: () => ({
    en: 'No password is stored for this mailbox.',
    'zh-CN': '该邮箱没有保存密码。',
  }),
  no_token_source: () => ({
    en: 'This mailbox signs in with its provider, but this server has no sign-in app for that provider.',
    'zh-CN': '该邮箱通过服务商账号授权登录,但本服务器没有为该服务商配置登录应用。',
  }),
  blob_store_unavailable: () => ({
    en: "Tidings could not store this mailbox's mail: the object storage it keeps mail in did not answer or refused it.",
    'zh-CN': 'Tidings 无法保存该邮箱的邮件:用于存放邮件的对象存储没有响应或拒绝了请求。',
  }),
  sync_failed: () => ({
    en: 'Syncing failed for a reason Tidings does not recognise; the server log has the details.',
    'zh-CN': '同步因 Tidings 无法识别的原因失败;详细信息见服务器日志。',
  }),
};

const SYNC_FIXES: Record<SyncOnlyFailureCode, LocalText> = {
  connect_failed: {
    en: 'Tidings tries again by itself. If it keeps failing, run "Test connection" on this mailbox: it names the exact step that fails and how to fix it.',
    'zh-CN': 'Tidings 会自动重试。如果一直失败,请对该邮箱点击“测试连接”:它会指出具体失败的步骤和解决方法。',
  },
  connection_lost: {
    en: 'Nothing to do: Tidings connects again by itself and continues where it stopped. If it happens often, check the network between the Tidings server and the mail server.',
    'zh-CN': '无需处理:Tidings 会自动重新连接并从中断处继续。如果经常出现,请检查 Tidings 服务器与邮件服务器之间的网络。',
  },
  server_error: {
    en: "Tidings tries again by itself. If it keeps happening, sign in to the web mail to check the mailbox works, and tell the server's administrator the time it happened.",
    'zh-CN': 'Tidings 会自动重试。如果一直出现,请登录网页版邮箱确认邮箱可以正常使用,并把发生时间告诉服务器管理员。',
  },
  certificate_changed: {
    en: 'Run "Test connection" on this mailbox: it shows the new certificate and its SHA-256 fingerprint. Trust it only if the mail server\'s administrator confirms the fingerprint; otherwise do not continue.',
    'zh-CN': '请对该邮箱点击“测试连接”:它会显示新证书及其 SHA-256 指纹。只有在邮件服务器管理员确认指纹无误后才信任它;否则请不要继续。',
  },
  over_quota: {
    en: 'Free up space in the mailbox (empty Trash and Junk, delete or archive large messages) or ask the administrator for a bigger quota, then choose "Sync now".',
    'zh-CN': '请清理邮箱空间(清空已删除和垃圾邮件,删除或归档大邮件),或请管理员提高配额,然后点击“立即同步”。',
  },
  incomplete_fetch: {
    en: 'Nothing to do: Tidings asks for these messages again on fresh connections and keeps them on its retry list until the server returns them; none are dropped.',
    'zh-CN': '无需处理:Tidings 会在新的连接上重新获取这些邮件,并在服务器返回之前一直保留在重试列表中,不会丢失任何邮件。',
  },
  folder_not_found: {
    en: 'Nothing to do if the folder was deleted or renamed on purpose: Tidings reads the folder list again. Choose the folders to sync in the mailbox settings.',
    'zh-CN': '如果该文件夹是有意删除或重命名的,则无需处理:Tidings 会重新读取文件夹列表。可以在邮箱设置中选择要同步的文件夹。',
  },
  no_secret: {
    en: "Enter the password (or authorization code) again: Mailboxes › the mailbox's menu › Change password.",
    'zh-CN': '请重新输入密码(或授权码):邮箱 › 该邮箱的菜单 › 修改密码。',
  },
  no_token_source: {
    en: 'An administrator sets up the sign-in app again in Settings › Mailboxes › Sign-in apps; then choose "Sign in again" on this mailbox.',
    'zh-CN': '请管理员在 设置 › 邮箱 › 登录应用 中重新配置登录应用,然后在该邮箱上点击“重新登录”。',
  },
  blob_store_unavailable: {
    en: 'Nothing is lost: Tidings tries again by itself and fetches the mail again. If it keeps failing, an administrator checks the object storage (TIDINGS_BLOB_URL: the server, the bucket, the access key).',
    'zh-CN':
      '不会丢失邮件:Tidings 会自动重试并重新获取邮件。如果一直失败,请管理员检查对象存储(TIDINGS_BLOB_URL:服务器、存储桶、访问密钥)。',
  },
  sync_failed: {
    en: 'Tidings tries again by itself. If it keeps failing, run "Test connection" on this mailbox and give the server log to your administrator.',
    'zh-CN': 'Tidings 会自动重试。如果一直失败,请对该邮箱点击“测试连接”,并把服务器日志提供给管理员。',
  },
};

function isSyncOnly(code: string): code is SyncOnlyFailureCode {
  return Object.hasOwn(SYNC_MESSAGES, code);
}

/** Whether a stored code is one of the catalogue's (a row written by another version may hold another). */
export function isFailureCode(code: string): code is FailureCode {
  return isSyncOnly(code) || Object.hasOwn(MESSAGES, code);
}

export interface FailureExplanation {
  code: FailureCode;
  message: LocalText;
  fix: LocalText;
}

/**
 * What a stored failure code means and what to do, in both languages (the reader's is picked by the web
 * app), with the connection test's provider-specific fixes where the provider is known. `params.reply`,
 * the server's own words, is quoted as the test quotes it.
 */
export function explainCode(code: string, params: MessageParams, providerId?: string): FailureExplanation {
  const known: FailureCode = isFailureCode(code) ? code : 'sync_failed';
  const reply = typeof params.reply === 'string' && params.reply ? params.reply.slice(0, 300) : undefined;
  const base = isSyncOnly(known) ? SYNC_MESSAGES[known](params) : MESSAGES[known](params);
  const message = reply ? { en: `${base.en} Server reply: “${reply}”`, 'zh-CN': `${base['zh-CN']}服务器回复:“${reply}”` } : base;
  const fix = isSyncOnly(known) ? SYNC_FIXES[known] : fixFor(known, resolveProvider(providerId, s(params.host), reply));
  return { code: known, message, fix };
}
