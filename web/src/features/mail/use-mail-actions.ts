import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/problem-text.ts';
import { mailApi } from './api.ts';
import { useFolderName, useMailT } from './text.ts';
import { matchesScope, type MessageList } from './use-message-list.ts';
import type { FolderNode, ListScope, MessageSummary } from './types.ts';

interface ActionDeps {
  list: MessageList;
  scope: ListScope;
  /** Called after a message changed or left, so the thread view and the folder counts catch up. */
  changed(id: string): void;
  /** Called when a message left the list (deleted, moved away): the page moves its cursor on. */
  left(id: string): void;
}

/**
 * The owner's changes to a message. Flags show at once and are put back if the server refuses; moves and
 * deletes wait for the server (it applies them on the mail server first) and show its error when it refuses.
 */
export function useMailActions({ list, scope, changed, left }: ActionDeps) {
  const { t } = useMailT();
  const { t: tc } = useTranslation();
  const folderName = useFolderName();

  const failed = (err: unknown) => {
    const { title, detail } = errorText(tc, err);
    notifications.show({ color: 'red', title: t('actions.failed'), message: detail ? `${title} ${detail}` : title, autoClose: 8000 });
  };

  async function flags(m: MessageSummary, change: { seen?: boolean; flagged?: boolean }) {
    list.patch(m.id, change);
    try {
      const result = await mailApi.change(m.id, change);
      if ('deleted' in result) {
        list.remove(m.id);
        left(m.id);
      } else {
        list.place(result);
      }
      changed(m.id);
    } catch (err) {
      list.patch(m.id, { seen: m.seen, flagged: m.flagged });
      failed(err);
    }
  }

  async function move(m: MessageSummary, folder: FolderNode) {
    try {
      const result = await mailApi.change(m.id, { folderId: folder.id });
      if ('deleted' in result || !matchesScope(result, scope)) left(m.id);
      if ('deleted' in result) list.remove(m.id);
      else list.place(result);
      notifications.show({ message: t('actions.moved', { folder: folderName(folder) }), color: 'teal' });
      changed(m.id);
    } catch (err) {
      failed(err);
    }
  }

  async function remove(m: MessageSummary) {
    try {
      const result = (await mailApi.remove(m.id)) as unknown as { outcome?: string } | undefined;
      left(m.id);
      list.remove(m.id);
      notifications.show({ message: result?.outcome === 'expunged' ? t('actions.expunged') : t('actions.deleted'), color: 'teal' });
      changed(m.id);
    } catch (err) {
      failed(err);
    }
  }

  return {
    toggleSeen: (m: MessageSummary) => flags(m, { seen: !m.seen }),
    markRead: (m: MessageSummary) => flags(m, { seen: true }),
    toggleStar: (m: MessageSummary) => flags(m, { flagged: !m.flagged }),
    move,
    remove,
  };
}
