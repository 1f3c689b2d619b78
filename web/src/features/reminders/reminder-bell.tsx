import { Anchor, Button, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell, IconBuilding, IconCheck, IconTargetArrow, IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import { HeaderPopover } from '../../components/header-popover.tsx';
import { useNavigate } from 'react-router-dom';
import { formatDateTime } from '../../components/format.ts';
import { CrmErrorAlert } from '../crm/crm-error-alert.tsx';
import { useCrmT } from '../crm/text.ts';
import type { Reminder } from './types.ts';
import { useReminders } from './use-reminders.ts';

const notificationId = (taskId: string) => `reminder-${taskId}`;

/**
 * The records a reminder's task is about, each a link to its page. Plain anchors that navigate through
 * `open`: pop-ups render outside the router, where a router Link cannot be.
 */
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
        <Anchor
          key={l.to}
          href={l.to}
          size="xs"
          onClick={(e) => {
            if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // a new tab, as the browser does
            e.preventDefault();
            open(l.to);
          }}
          data-testid="reminder-link"
        >
          <Group gap={2} wrap="nowrap">
            {l.icon}
            {l.name}
          </Group>
        </Anchor>
      ))}
    </Group>
  );
}

/** The bell in the header: how many reminders are due, a list of them, and a pop-up when one fires. */
export function ReminderBell() {
  const { t, i18n } = useCrmT();
  const [opened, setOpened] = useState(false);
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
      opened={opened}
      onOpenedChange={setOpened}
      count={total}
      label={label}
      icon={<IconBell size={20} />}
      testId="reminder"
      width={380}
    >
      <Text fw={600} size="sm" px="md" pt="sm" pb={6}>
        {t('reminders.title')}
      </Text>
      <CrmErrorAlert error={reminders.error} testId="reminder-error" />
      {items.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md" data-testid="reminder-empty">
          {t('reminders.empty')}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={420} type="auto">
          <Stack gap={0}>
            {items.map((r) => (
              <Stack
                key={r.taskId}
                gap={4}
                px="md"
                py="xs"
                style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
                data-testid="reminder-item"
                data-task-id={r.taskId}
              >
                <Text size="sm" fw={500} lineClamp={2}>
                  {subject(r)}
                </Text>
                <Text size="xs" c={r.dueAt && new Date(r.dueAt) < new Date() ? 'red' : 'dimmed'}>
                  {due(r)}
                </Text>
                <RecordLinks
                  reminder={r}
                  open={(to) => {
                    setOpened(false);
                    navigate(to);
                  }}
                />
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
              </Stack>
            ))}
            {total > items.length ? (
              <Text size="xs" c="dimmed" px="md" py="xs">
                {t('reminders.more', { count: total - items.length })}
              </Text>
            ) : null}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </HeaderPopover>
  );
}
