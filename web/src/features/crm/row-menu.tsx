import { ActionIcon, Menu } from '@mantine/core';
import { IconDots, IconPencil, IconTrash } from '@tabler/icons-react';
import { useCrmT } from './text.ts';

/** The "…" menu at the end of a record's row: edit or delete it. `testId` names the button and its items. */
export function RowMenu({ name, onEdit, onDelete, testId }: { name: string; onEdit(): void; onDelete(): void; testId?: string }) {
  const { t } = useCrmT();
  return (
    <Menu position="bottom-end" width={160}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={t('actions.menuFor', { name })} data-testid={testId && `${testId}-row-menu`}>
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPencil size={14} />} onClick={onEdit} data-testid={testId && `${testId}-edit`}>
          {t('actions.edit')}
        </Menu.Item>
        <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={onDelete} data-testid={testId && `${testId}-delete`}>
          {t('actions.delete')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
