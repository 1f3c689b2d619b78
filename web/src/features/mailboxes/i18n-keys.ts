import en from '../../i18n/mailboxes.en.json' with { type: 'json' };
import zhCN from '../../i18n/mailboxes.zh-CN.json' with { type: 'json' };

// Both catalogues of the mailbox pages must hold the same keys: each assignment fails to compile when one lacks a key.
const zhHasEveryEnglishKey: typeof en = zhCN;
const enHasEveryChineseKey: typeof zhCN = en;
export const mailboxKeysMatch = [zhHasEveryEnglishKey, enHasEveryChineseKey] as const;
