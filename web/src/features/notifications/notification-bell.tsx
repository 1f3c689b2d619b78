import { Anchor, Button, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconNotification } from '@tabler/icons-react';
import { useState } from 'react';
import { HeaderPopover } from '../../components/header-popover.tsx';
import { useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { localText } from '../mailboxes/text.ts';
import { type AppNotification, useNotifications } from './api.ts';
import { useNotificationsT } from './text.ts';

function NotificationItem({ n, onOpen, onRead }: { n: AppNotification; onOpen(to: string): void; onRead(): void }) {
  const { t, i18n } = useNotificationsT();
  const email = n.mailbox?.email ?? '';
  const to = n.mailbox ? `/settings/mailboxes/${n.mailbox.id}` : null;
  return (
    <Stack
      gap={4}
      px="md"
      py="xs"
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
      bg={n.read ? undefined : 'blue.0'}
      data-testid="notification-item"
      data-kind={n.kind}
      data-code={n.code ?? ''}
      data-read={n.read}
    >
      <Group gap={6} wrap="nowrap">
        {n.kind === 'mailbox_attention' ? (
          <IconAlertTriangle size={16} color="var(--mantine-color-red-7)" aria-hidden />
        ) : (
          <IconCircleCheck size={16} color="var(--mantine-color-teal-7)" aria-hidden />
        )}
        <Text size="sm" fw={n.read ? 400 : 600}>
          {t(n.kind === 'mailbox_attention' ? 'attention' : 'recovered', { email })}
        </Text>
      </Group>
      {n.message ? (
        <Text size="xs" data-testid="notification-message">
          {localText(n.message, i18n.language)}
        </Text>
      ) : null}
      {n.fix ? (
        <Text size="xs" data-testid="notification-fix">
          <Text span size="xs" fw={600}>
            {t('fix')}{' '}
          </Text>
          {localText(n.fix, i18n.language)}
        </Text>
      ) : null}
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">
          {formatDateTime(n.createdAt, i18n.language, '')}
        </Text>
        <Group gap="xs">
          {to ? (
            <Anchor
              href={to}
              size="xs"
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // a new tab, as the browser does
                e.preventDefault();
                onOpen(to);
              }}
              data-testid="notification-open"
            >
              {t('open')}
            </Anchor>
          ) : null}
          {n.read ? null : (
            <Button size="compact-xs" variant="default" onClick={onRead} data-testid="notification-read">
              {t('markRead')}
            </Button>
          )}
        </Group>
      </Group>
    </Stack>
  );
}

/** The header's notifications: the unread count, the latest ones with their fix, mark read and mark all read. */
export function NotificationBell() {
  const { t } = useNotificationsT();
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();
  const { items, unread, error, markRead, markAllRead } = useNotifications();
  const label = unread ? t('bellCount', { count: unread }) : t('bell');

  return (
    <HeaderPopover
      opened={opened}
      onOpenedChange={setOpened}
      count={unread}
      label={label}
      icon={<IconNotification size={20} />}
      testId="notification"
      width={400}
    >
      <Group justify="space-between" px="md" pt="sm" pb={6}>
        <Text fw={600} size="sm">
          {t('title')}
        </Text>
        {unread ? (
          <Button size="compact-xs" variant="subtle" onClick={markAllRead} data-testid="notification-read-all">
            {t('markAllRead')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={error} testId="notification-error" />
      {items.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md" data-testid="notification-empty">
          {t('empty')}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={460} type="auto">
          <Stack gap={0}>
            {items.map((n) => (
              <NotificationItem
                key={n.id}
                n={n}
                onRead={() => markRead(n.id)}
                onOpen={(to) => {
                  setOpened(false);
                  if (!n.read) markRead(n.id);
                  navigate(to);
                }}
              />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </HeaderPopover>
  );
}
