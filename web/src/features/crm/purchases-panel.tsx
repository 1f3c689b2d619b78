import { ActionIcon, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { LoadMore } from './load-more.tsx';
import { totalsByCurrency } from './money.ts';
import { PurchaseFormModal } from './purchase-form-modal.tsx';
import { formatDate, formatMoney, useCrmT } from './text.ts';
import { prepended, withoutId, useKeysetQuery } from '../../api/use-keyset-query.ts';

/** Purchase history of a company or a contact, with totals per currency of the rows shown. */
export function PurchasesPanel({ links }: { links: { companyId?: string; contactId?: string } }) {
  const { t, i18n } = useCrmT();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = useKeysetQuery(['purchases', links], (cursor) => crmApi.purchases({ ...links, cursor, limit: 100 }));
  const items = list.items ?? [];

  return (
    <Stack gap="sm" data-testid="purchases-panel">
      <Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="purchase-add">
          {t('purchases.record')}
        </Button>
      </Group>
      <CrmErrorAlert error={error ?? list.error} testId="purchases-error" />
      <Paper withBorder>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" p="md" data-testid="purchases-empty">
            {t('purchases.empty')}
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={6} data-testid="purchases-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('purchases.date')}</Table.Th>
                <Table.Th>{t('purchases.items')}</Table.Th>
                <Table.Th ta="right">{t('fields.amount')}</Table.Th>
                <Table.Th w={40} />
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
                      onClick={() => {
                        crmApi
                          .deletePurchase(p.id)
                          .then(() => list.setItems(withoutId(p.id)))
                          .catch(setError);
                      }}
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
                  <Table.Th />
                </Table.Tr>
              ))}
            </Table.Tfoot>
          </Table>
        )}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId="purchases-load-more" />
      </Paper>
      <PurchaseFormModal
        opened={adding}
        links={links}
        onClose={() => setAdding(false)}
        onSaved={(p) => {
          setAdding(false);
          list.setItems(prepended(p));
        }}
      />
    </Stack>
  );
}
