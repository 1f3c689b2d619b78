import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { formatDateTime } from '../../components/format.ts';
import { errorText } from '../../api/problem-text.ts';
import { composeApi } from './api.ts';
import type { ComposeRequest } from './compose-context.tsx';
import type { OutboxItem } from './types.ts';

interface NoticeText {
  t: TFunction<'compose'>;
  tc: TFunction;
  language: string;
}

/**
 * "Sending… Undo" for as long as the undo window lasts (or "Scheduled for …" with Undo): Undo takes the
 * row back to a draft and reopens it in the compose window.
 */
export function showSendNotice(item: OutboxItem, scheduled: boolean, { t, tc, language }: NoticeText, reopen: (r: ComposeRequest) => void) {
  const id = `outbox-${item.id}`;
  const left = item.sendAt ? Date.parse(item.sendAt) - Date.now() : 10_000;
  const undo = () => {
    notifications.hide(id);
    composeApi.undo(item.id).then(
      (draft) => {
        notifications.show({ color: 'gray', message: t('send.undone'), autoClose: 4000 });
        reopen({ kind: 'draft', item: draft });
      },
      (error: unknown) => notifications.show({ color: 'red', message: errorText(tc, error).title, autoClose: 8000 }),
    );
  };
  notifications.show({
    id,
    color: 'teal',
    autoClose: scheduled ? 10_000 : Math.max(1000, left),
    message: (
      <Group justify="space-between" wrap="nowrap" data-testid="send-notice" data-outbox-id={item.id}>
        <Text size="sm">{scheduled ? t('send.scheduled', { at: formatDateTime(item.sendAt, language, '') }) : t('send.sending')}</Text>
        <Button size="compact-sm" variant="light" onClick={undo} data-testid="send-undo">
          {t('send.undo')}
        </Button>
      </Group>
    ),
  });
}
