import type { FolderRole } from '../types.ts';

/**
 * Folder names that mean a role on servers without SPECIAL-USE (older Chinese providers, Exchange's
 * IMAP, hand-made Dovecot setups). Compared case-insensitively with the last segment of the path.
 * Earlier names win when several folders could take a role, so the most specific names come first.
 */
export const ROLE_NAMES: ReadonlyArray<readonly [Exclude<FolderRole, null | 'inbox'>, readonly string[]]> = [
  ['sent', ['已发送', '已发送邮件', '已发邮件', 'Sent Messages', 'Sent Items', 'Sent Mail', 'Sent']],
  ['drafts', ['草稿箱', '草稿', 'Drafts', 'Draft']],
  ['trash', ['已删除', '已删除邮件', 'Deleted Messages', 'Deleted Items', 'Trash']],
  ['junk', ['垃圾邮件', '垃圾箱', 'Junk', 'Spam', 'Junk E-mail', 'Junk Email', 'Bulk Mail']],
  ['archive', ['归档', 'Archive', 'Archives']],
];

/** SPECIAL-USE attributes (RFC 6154) and imapflow's \Inbox marker, lower-cased. */
export const SPECIAL_USE_ROLES: Readonly<Record<string, Exclude<FolderRole, null>>> = {
  '\\inbox': 'inbox',
  '\\sent': 'sent',
  '\\drafts': 'drafts',
  '\\trash': 'trash',
  '\\junk': 'junk',
  '\\archive': 'archive',
  '\\all': 'all',
  '\\flagged': 'flagged',
};
