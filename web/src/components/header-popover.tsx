import { ActionIcon, Anchor, type AnchorProps, Group, Indicator, Popover, ScrollArea, Stack, type StackProps, Text } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useNavigate } from 'react-router-dom';

interface HeaderPopoverProps {
  /** The header button: its icon, the red count (none when 0), and its accessible name (with the count in it, when there is one). */
  bell: { icon: TablerIcon; count: number; label: string };
  /** The panel: its heading, its width and the height its list scrolls within. */
  panel: { title: string; width: number; listHeight: number };
  /** Beside the heading (mark all read). */
  titleAction?: ReactNode;
  /** The failure to load the list, as the feature words it. */
  alert: ReactNode;
  /** Shown instead of the list while it is empty (`${testId}-empty`); null when there are items. */
  empty: string | null;
  /** Names the count, the button, the panel and the empty text for tests: `${testId}-count`, `-bell`, `-menu`, `-empty`. */
  testId: string;
  /** The list's items; `open(to)` closes the panel and goes to a page of the app. */
  children(open: (to: string) => void): ReactNode;
}

/**
 * A header button with a red count that opens a panel with a list (notifications, reminders). The popover's
 * target is the button itself, so aria-expanded and aria-haspopup sit on it, not on the count's wrapper; the
 * focus is kept in the panel while it is open and goes back to the button when it closes.
 */
export function HeaderPopover({
  bell: { icon: Icon, count, label },
  panel,
  titleAction,
  alert,
  empty,
  testId,
  children,
}: HeaderPopoverProps) {
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();
  const open = (to: string) => {
    setOpened(false);
    navigate(to);
  };
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      onDismiss={() => setOpened(false)}
      trapFocus
      returnFocus
      position="bottom-end"
      width={panel.width}
      shadow="md"
      withArrow
    >
      <Indicator
        label={count > 99 ? '99+' : count}
        size={16}
        offset={4}
        color="red"
        disabled={!count}
        data-testid={`${testId}-count`}
        data-count={count}
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened(!opened)}
            aria-label={label}
            title={label}
            data-testid={`${testId}-bell`}
          >
            <Icon size={20} />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p={0} data-testid={`${testId}-menu`}>
        <Group justify="space-between" px="md" pt="sm" pb={6}>
          <Text fw={600} size="sm">
            {panel.title}
          </Text>
          {titleAction}
        </Group>
        {alert}
        {empty !== null ? (
          <Text size="sm" c="dimmed" px="md" pb="md" data-testid={`${testId}-empty`}>
            {empty}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={panel.listHeight} type="auto">
            <Stack gap={0}>{children(open)}</Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

/** One item of a header panel's list, ruled off from the one above. */
export function PanelItem(props: StackProps & { children: ReactNode } & Record<`data-${string}`, unknown>) {
  return <Stack gap={4} px="md" py="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} {...props} />;
}

/**
 * A link in a panel's item: a plain anchor that goes through `open` (closing the panel first) on a plain
 * click, and lets the browser open a new tab for a modified one. Reminder pop-ups render outside the router,
 * where a router Link cannot be.
 */
export function PanelLink({
  to,
  open,
  testId,
  ...anchor
}: AnchorProps & { to: string; open(to: string): void; testId: string; children: ReactNode }) {
  return (
    <Anchor
      {...anchor}
      href={to}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        open(to);
      }}
      data-testid={testId}
    />
  );
}
