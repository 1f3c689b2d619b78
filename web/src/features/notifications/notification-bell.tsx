import { Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconNotification } from '@tabler/icons-react';
import { HeaderPopover, PanelItem, PanelLink } from '../../components/header-popover.tsx';
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
    <PanelItem
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
            <PanelLink to={to} open={onOpen} size="xs" testId="notification-open">
              {t('open')}
            </PanelLink>
          ) : null}
          {n.read ? null : (
            <Button size="compact-xs" variant="default" onClick={onRead} data-testid="notification-read">
              {t('markRead')}
            </Button>
          )}
        </Group>
      </Group>
    </PanelItem>
  );
}

/** The header's notifications: the unread count, the latest ones with their fix, mark read and mark all read. */
export function NotificationBell() {
  const { t } = useNotificationsT();
  const { items, unread, error, markRead, markAllRead } = useNotifications();
  const label = unread ? t('bellCount', { count: unread }) : t('bell');

  return (
    <HeaderPopover
      bell={{ icon: IconNotification, count: unread, label }}
      panel={{ title: t('title'), width: 400, listHeight: 460 }}
      titleAction={
        unread ? (
          <Button size="compact-xs" variant="subtle" onClick={markAllRead} data-testid="notification-read-all">
            {t('markAllRead')}
          </Button>
        ) : null
      }
      alert={<ErrorAlert error={error} testId="notification-error" />}
      empty={items.length === 0 ? t('empty') : null}
      testId="notification"
    >
      {(open) =>
        items.map((n) => (
          <NotificationItem
            key={n.id}
            n={n}
            onRead={() => markRead(n.id)}
            onOpen={(to) => {
              if (!n.read) markRead(n.id);
              open(to);
            }}
          />
        ))
      }
    </HeaderPopover>
  );
}
