import { Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useMailT } from './text.ts';

export type ShortcutAction =
  | 'next'
  | 'previous'
  | 'open'
  | 'unread'
  | 'star'
  | 'delete'
  | 'archive'
  | 'reply'
  | 'replyAll'
  | 'forward'
  | 'search'
  | 'help';

const KEYS: Record<string, ShortcutAction> = {
  j: 'next',
  k: 'previous',
  Enter: 'open',
  u: 'unread',
  s: 'star',
  '#': 'delete',
  Delete: 'delete',
  e: 'archive',
  r: 'reply',
  a: 'replyAll',
  f: 'forward',
  '/': 'search',
  '?': 'help',
};

/** The arrow keys move through the list too, while the focus is in it (elsewhere they scroll or move a cursor). */
const LIST_KEYS: Record<string, ShortcutAction> = {
  ArrowDown: 'next',
  ArrowUp: 'previous',
};

/** Marks the element whose arrow keys move through the messages. */
export const MESSAGE_LIST_ATTRIBUTE = 'data-message-list';

const HELP: Array<[string[], ShortcutAction]> = [
  [['j', '↓'], 'next'],
  [['k', '↑'], 'previous'],
  [['Enter'], 'open'],
  [['u'], 'unread'],
  [['s'], 'star'],
  [['#', 'Delete'], 'delete'],
  [['e'], 'archive'],
  [['r'], 'reply'],
  [['a'], 'replyAll'],
  [['f'], 'forward'],
  [['/'], 'search'],
  [['?'], 'help'],
];

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Mail shortcuts on the whole page, except while the user types in a field, a dialog is open, or a
 * modifier (other than Shift, which # and ? need) is held.
 */
export function useShortcuts(handler: (action: ShortcutAction) => void, enabled: boolean): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || typingInto(e.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      const inList = e.target instanceof Element && e.target.closest(`[${MESSAGE_LIST_ATTRIBUTE}]`) !== null;
      const action = KEYS[e.key] ?? (inList ? LIST_KEYS[e.key] : undefined);
      if (!action) return;
      // Enter on a focused button or link does that control's own thing.
      if (action === 'open' && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
      e.preventDefault();
      ref.current(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export function ShortcutsHelp({ opened, onClose, search }: { opened: boolean; onClose(): void; search: boolean }) {
  const { t } = useMailT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} size="sm" data-testid="shortcuts-help">
      <Stack gap={6} data-testid="shortcuts-list">
        {HELP.filter(([, a]) => a !== 'search' || search).map(([keys, action]) => (
          <Group key={action} justify="space-between">
            <Text size="sm">{t(`shortcuts.${action === 'help' ? 'showHelp' : action}`)}</Text>
            <Group gap={4}>
              {keys.map((k) => (
                <Kbd key={k}>{k}</Kbd>
              ))}
            </Group>
          </Group>
        ))}
      </Stack>
    </Modal>
  );
}
