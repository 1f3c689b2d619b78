import { Table, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The header of a table's row-actions column: no visible text (the column holds icon menus), but a header
 * cell with text for screen readers, which read it before each row's actions (an empty <th>, or one
 * named only by aria-label, announces nothing there).
 */
export function ActionsHeader({ w, label }: { w?: number; label?: string }) {
  const { t } = useTranslation();
  return (
    <Table.Th w={w}>
      <VisuallyHidden>{label ?? t('common.actions')}</VisuallyHidden>
    </Table.Th>
  );
}
