import type { LocalText } from './probe/types.ts';

/** Row codes of the binding itself (owner, duplicates); the rest come from the org grant and the connection test. */
export const ROW_MESSAGES: Record<string, { message: LocalText; fix: LocalText }> = {
  unknown_mailbox_owner: {
    message: { en: 'The owner is not an active Tidings user.', 'zh-CN': '所有者不是有效的 Tidings 用户。' },
    fix: {
      en: 'Use the email (or id) of an active user; invite the salesperson to Tidings first if needed.',
      'zh-CN': '请填写有效用户的邮箱(或 ID);如有需要,请先邀请该销售人员加入 Tidings。',
    },
  },
  mailbox_exists: {
    message: { en: 'This mailbox is already bound for that owner.', 'zh-CN': '该邮箱已为此所有者绑定。' },
    fix: { en: 'Nothing to do; remove the row.', 'zh-CN': '无需操作,可删除此行。' },
  },
  duplicate_row: {
    message: { en: 'The same address appears twice in the list.', 'zh-CN': '列表中该地址出现了两次。' },
    fix: { en: 'Keep one row per mailbox.', 'zh-CN': '每个邮箱只保留一行。' },
  },
  invalid_row: {
    message: { en: 'This row is not an address and an owner.', 'zh-CN': '此行不是“地址,所有者”的格式。' },
    fix: {
      en: 'Write the row as address,owner, for example li@example.com,li@example.com.',
      'zh-CN': '请按“地址,所有者”填写,例如 li@example.com,li@example.com。',
    },
  },
};
