import { useTranslation } from 'react-i18next';
import type { LocalText } from './types.ts';

/** The feature's translator: every string of the mailbox pages lives in the `mailboxes` namespace. */
export function useMailboxesT() {
  return useTranslation('mailboxes');
}

/** Picks the UI language's half of a bilingual text the server sent (provider help, probe fixes). */
export function localText(text: LocalText | null | undefined, language: string): string {
  if (!text) return '';
  return language.toLowerCase().startsWith('zh') ? text['zh-CN'] : text.en;
}
