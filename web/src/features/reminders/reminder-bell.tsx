import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell, IconBuilding, IconCheck, IconTargetArrow, IconUser } from '@tabler/icons-react';
import { HeaderPopover, PanelItem, PanelLink } from '../../components/header-popover.tsx';
import { useNavigate } from 'react-router-dom';
import { formatDateTime } from '../../components/format.ts';
import { CrmErrorAlert } from '../crm/crm-error-alert.tsx';
import { useCrmT } from '../crm/text.ts';
import type { Reminder } from './types.ts';
import { useReminders } from './use-reminders.ts';

const notificationId = (taskId: string) => `reminder-${taskId}`;

/** The records a reminder's task is about, each a link to its page. */
function RecordLinks({ reminder, open }: { reminder: Reminder; open(to: string): void }) {
  const links = [
    reminder.contact && { to: `/contacts/${reminder.contact.id}`, name: reminder.contact.name, icon: <IconUser size={12} /> },
    reminder.company && { to: `/companies/${reminder.company.id}`, name: reminder.company.name, icon: <IconBuilding size={12} /> },
    reminder.deal && { to: `/deals/${reminder.deal.id}`, name: reminder.deal.name, icon: <IconTargetArrow size={12} /> },
  ].filter((l) => l !== null);
  if (!links.length) return null;
  return (
    <Group gap={8}>
      {links.map((l) => (
        <PanelLink key={l.to} to={l.to} open={open} size="xs" testId="reminder-link">
          <Group gap={2} wrap="nowrap">
            {l.icon}
            {l.name}
          </Group>
        </PanelLink>
      ))}
    </Group>
  );
}

/** The bell in the header: how many reminders are due, a list of them, and a pop-up when one fires. */
export function ReminderBell() {
  const { t, i18n } = useCrmT();
  const navigate = useNavigate();
  const subject = (r: Reminder) => r.subject ?? t('reminders.untitled');
  const due = (r: Reminder) => (r.dueAt ? t('reminders.due', { date: formatDateTime(r.dueAt, i18n.language, '') }) : t('reminders.noDue'));

  const reminders = useReminders((r) => {
    notifications.show({
      id: notificationId(r.taskId),
      color: 'blue',
      icon: <IconBell size={16} />,
      title: t('reminders.popTitle'),
      autoClose: false,
      'data-testid': 'reminder-popup',
      message: (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {subject(r)}
          </Text>
          <Text size="xs" c="dimmed">
            {due(r)}
          </Text>
          <RecordLinks
            reminder={r}
            open={(to) => {
              notifications.hide(notificationId(r.taskId));
              navigate(to);
            }}
          />
        </Stack>
      ),
    });
  });

  const settle = (taskId: string, action: (id: string) => Promise<void>) => {
    notifications.hide(notificationId(taskId));
    void action(taskId);
  };
  const { items, total } = reminders;
  const label = total ? t('reminders.bellCount', { count: total }) : t('reminders.bell');

  return (
    <HeaderPopover
      bell={{ icon: IconBell, count: total, label }}
      panel={{ title: t('reminders.title'), width: 380, listHeight: 420 }}
      alert={<CrmErrorAlert error={reminders.error} testId="reminder-error" />}
      empty={items.length === 0 ? t('reminders.empty') : null}
      testId="reminder"
    >
      {(open) => (
        <>
          {items.map((r) => (
            <PanelItem key={r.taskId} data-testid="reminder-item" data-task-id={r.taskId}>
              <Text size="sm" fw={500} lineClamp={2}>
                {subject(r)}
              </Text>
              <Text size="xs" c={r.dueAt && new Date(r.dueAt) < new Date() ? 'red' : 'dimmed'}>
                {due(r)}
              </Text>
              <RecordLinks reminder={r} open={open} />
              <Group gap="xs" justify="flex-end">
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => settle(r.taskId, reminders.dismiss)}
                  data-testid="reminder-dismiss"
                >
                  {t('reminders.dismiss')}
                </Button>
                <Button
                  size="compact-xs"
                  variant="light"
                  leftSection={<IconCheck size={12} />}
                  onClick={() => settle(r.taskId, reminders.markDone)}
                  data-testid="reminder-done"
                >
                  {t('reminders.markDone')}
                </Button>
              </Group>
            </PanelItem>
          ))}
          {total > items.length ? (
            <Text size="xs" c="dimmed" px="md" py="xs">
              {t('reminders.more', { count: total - items.length })}
            </Text>
          ) : null}
        </>
      )}
    </HeaderPopover>
  );
}
