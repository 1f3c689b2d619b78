import { ActionIcon, Button, Group, Menu, Modal, Stack, TextInput } from '@mantine/core';
import { IconChevronDown, IconClockHour4, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useComposeT } from './text.ts';

/** A datetime-local value for `date` in the browser's time zone, to the second. */
function localValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Send, and beside it a menu to schedule the send for a chosen time. */
export function SendControls({ disabled, busy, onSend }: { disabled: boolean; busy: boolean; onSend(sendAt: string | null): void }) {
  const { t } = useComposeT();
  const [scheduling, setScheduling] = useState(false);
  const [at, setAt] = useState('');
  const when = at ? new Date(at) : null;
  const valid = when !== null && !Number.isNaN(when.getTime()) && when.getTime() > Date.now();
  return (
    <Group gap={0} wrap="nowrap">
      <Button
        leftSection={<IconSend size={16} />}
        disabled={disabled}
        loading={busy}
        onClick={() => onSend(null)}
        style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
        data-testid="compose-send"
      >
        {t('send.send')}
      </Button>
      <Menu position="top-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            size={36}
            variant="filled"
            disabled={disabled || busy}
            aria-label={t('send.more')}
            style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: '1px solid var(--mantine-color-white)' }}
            data-testid="compose-send-menu"
          >
            <IconChevronDown size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            leftSection={<IconClockHour4 size={14} />}
            onClick={() => {
              setAt(localValue(new Date(Date.now() + 3600_000)));
              setScheduling(true);
            }}
            data-testid="compose-schedule"
          >
            {t('send.schedule')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={scheduling}
        onClose={() => setScheduling(false)}
        title={t('send.scheduleTitle')}
        size="sm"
        data-testid="schedule-modal"
      >
        <Stack>
          <TextInput
            type="datetime-local"
            step={1}
            label={t('send.sendAt')}
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            data-testid="schedule-at"
          />
          <Group justify="flex-end">
            <Button
              disabled={!valid}
              onClick={() => {
                setScheduling(false);
                if (when) onSend(when.toISOString());
              }}
              data-testid="schedule-confirm"
            >
              {t('send.scheduleConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
