import { IconPencil, IconTrash } from '@tabler/icons-react';
import { RowActionsMenu } from '../../components/row-actions-menu.tsx';
import { useCrmT } from './text.ts';

/** The "…" menu at the end of a record's row: edit or delete it. `testId` names the button and its items. */
export function RowMenu({ name, onEdit, onDelete, testId }: { name: string; onEdit(): void; onDelete(): void; testId?: string }) {
  const { t } = useCrmT();
  return (
    <RowActionsMenu
      label={t('actions.menuFor', { name })}
      width={160}
      testId={testId && `${testId}-row-menu`}
      items={[
        { icon: IconPencil, label: t('actions.edit'), onClick: onEdit, testId: testId && `${testId}-edit` },
        { icon: IconTrash, label: t('actions.delete'), onClick: onDelete, testId: testId && `${testId}-delete`, color: 'red' },
      ]}
    />
  );
}
