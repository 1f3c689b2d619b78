import { ActionIcon, Table } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { crmApi } from './api.ts';
import { totalsByCurrency } from './money.ts';
import { PurchaseFormModal } from './purchase-form-modal.tsx';
import { AddButton, TableCard, RecordPanel, usePanelRows } from './record-panel.tsx';
import { formatDate, formatMoney, useCrmT } from './text.ts';
import { ActionsHeader } from '../../components/actions-header.tsx';

/** Purchase history of a company or a contact, with totals per currency of the rows shown. */
export function PurchasesPanel({ links }: { links: { companyId?: string; contactId?: string } }) {
  const { t, i18n } = useCrmT();
  const { list, error, adding, setAdding, added, remove } = usePanelRows(
    ['purchases', links],
    (cursor) => crmApi.purchases({ ...links, cursor, limit: 100 }),
    false,
  );

  return (
    <RecordPanel
      testId="purchases-panel"
      error={error}
      errorTestId="purchases-error"
      actions={<AddButton label={t('purchases.record')} onClick={() => setAdding(true)} testId="purchase-add" />}
    >
      <TableCard list={list} empty={t('purchases.empty')} emptyTestId="purchases-empty" moreTestId="purchases-load-more">
        {(items) => (
          <Table fz="sm" verticalSpacing={6} data-testid="purchases-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('purchases.date')}</Table.Th>
                <Table.Th>{t('purchases.items')}</Table.Th>
                <Table.Th ta="right">{t('fields.amount')}</Table.Th>
                <ActionsHeader w={40} label={t('actions.menu')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id} data-testid="purchase-row">
                  <Table.Td>{formatDate(p.purchasedOn, i18n.language)}</Table.Td>
                  <Table.Td>{p.items.map((i) => `${i.name} × ${i.quantity}`).join('; ') || p.notes || ''}</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.amount, p.currency, i18n.language)}</Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size="sm"
                      aria-label={t('actions.delete')}
                      onClick={() => remove(p.id, crmApi.deletePurchase(p.id))}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              {totalsByCurrency(items).map((s) => (
                <Table.Tr key={s.currency} data-testid="purchases-total">
                  <Table.Th colSpan={2}>
                    {t('purchases.total')} ({s.currency})
                  </Table.Th>
                  <Table.Th ta="right">{formatMoney(s.amount, s.currency, i18n.language)}</Table.Th>
                  <Table.Td />
                </Table.Tr>
              ))}
            </Table.Tfoot>
          </Table>
        )}
      </TableCard>
      <PurchaseFormModal opened={adding} links={links} onClose={() => setAdding(false)} onSaved={added} />
    </RecordPanel>
  );
}
