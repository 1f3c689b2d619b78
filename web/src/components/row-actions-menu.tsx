import { ActionIcon, Menu } from '@mantine/core';
import { IconDots, type TablerIcon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** One item of a row's menu; `divider` rules it off from the items above (the destructive one last). */
export interface RowAction {
  icon: TablerIcon;
  label: ReactNode;
  onClick(): void;
  testId?: string;
  color?: 'red';
  disabled?: boolean;
  divider?: boolean;
}

/**
 * The "…" menu at the end of a table row. `label` is the button's accessible name (it names the row);
 * an item given as `false` is left out.
 */
export function RowActionsMenu({
  label,
  width,
  testId,
  items,
}: {
  label: string;
  width: number;
  testId?: string;
  items: Array<RowAction | false>;
}) {
  return (
    <Menu position="bottom-end" width={width}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label} data-testid={testId}>
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {items.map((item, i) =>
          item === false ? null : (
            // biome-ignore lint/suspicious/noArrayIndexKey: a row's menu items are fixed for the row's state.
            <RowActionItem key={i} {...item} />
          ),
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

function RowActionItem({ icon: Icon, label, onClick, testId, color, disabled, divider }: RowAction) {
  return (
    <>
      {divider ? <Menu.Divider /> : null}
      <Menu.Item color={color} leftSection={<Icon size={14} />} onClick={onClick} disabled={disabled} data-testid={testId}>
        {label}
      </Menu.Item>
    </>
  );
}
