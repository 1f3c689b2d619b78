import { ActionIcon, Indicator, Popover } from '@mantine/core';
import type { ReactNode } from 'react';

interface HeaderPopoverProps {
  opened: boolean;
  onOpenedChange: (opened: boolean) => void;
  /** What the red count shows; none when 0. */
  count: number;
  /** The button's accessible name (with the count in it, when there is one). */
  label: string;
  icon: ReactNode;
  /** Names the count, the button and the menu for tests: `${testId}-count`, `-bell`, `-menu`. */
  testId: string;
  width: number;
  children: ReactNode;
}

/**
 * A header button with a red count that opens a panel (notifications, reminders). The popover's target is
 * the button itself, so aria-expanded and aria-haspopup sit on it, not on the count's wrapper; the focus
 * is kept in the panel while it is open and goes back to the button when it closes.
 */
export function HeaderPopover({ opened, onOpenedChange, count, label, icon, testId, width, children }: HeaderPopoverProps) {
  return (
    <Popover
      opened={opened}
      onChange={onOpenedChange}
      onDismiss={() => onOpenedChange(false)}
      trapFocus
      returnFocus
      position="bottom-end"
      width={width}
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
            onClick={() => onOpenedChange(!opened)}
            aria-label={label}
            title={label}
            data-testid={`${testId}-bell`}
          >
            {icon}
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p={0} data-testid={`${testId}-menu`}>
        {children}
      </Popover.Dropdown>
    </Popover>
  );
}
