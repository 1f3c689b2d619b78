import { Badge, Table } from '@mantine/core';
import { ColumnHead, CrmTable, NameCell, UpdatedCell } from './crm-table.tsx';
import { formatDate, formatMoney, stageLabel, useCrmT } from './text.ts';
import type { Deal, Stage } from './types.ts';

const STATUS_COLOR = { open: 'blue', won: 'teal', lost: 'red' } as const;

/** A deal's stage by name, coloured by whether the deal is open, won or lost. */
export function DealStageBadge({ deal, stages, size, testId }: { deal: Deal; stages: Stage[]; size?: 'sm'; testId?: string }) {
  const { i18n } = useCrmT();
  const stage = stages.find((s) => s.id === deal.stageId);
  return (
    <Badge size={size} variant="light" color={STATUS_COLOR[deal.status]} data-testid={testId}>
      {stage ? stageLabel(stage.name, i18n.language) : '—'}
    </Badge>
  );
}

/** Deals as rows: the table view of the deals page and the deals of a record. */
export function DealsTable({
  deals,
  stages,
  ownerName,
  sort,
  onSort,
}: {
  deals: Deal[];
  stages: Stage[];
  ownerName(id: string): string;
  sort?: string;
  onSort?(s: string): void;
}) {
  const { t, i18n } = useCrmT();
  return (
    <CrmTable
      minWidth={720}
      testId="deals-table"
      columns={
        <>
          <ColumnHead field="name" sort={sort} onSort={onSort}>
            {t('fields.name')}
          </ColumnHead>
          <Table.Th>{t('fields.stage')}</Table.Th>
          <ColumnHead field="amount" sort={sort} onSort={onSort}>
            {t('fields.amount')}
          </ColumnHead>
          <Table.Th>{t('fields.expectedClose')}</Table.Th>
          <Table.Th>{t('fields.owner')}</Table.Th>
          <ColumnHead field="updatedAt" sort={sort} onSort={onSort}>
            {t('fields.updated')}
          </ColumnHead>
        </>
      }
    >
      {deals.map((d) => (
        <Table.Tr key={d.id} data-testid="deal-row" data-name={d.name}>
          <NameCell to={`/deals/${d.id}`} name={d.name} />
          <Table.Td>
            <DealStageBadge deal={d} stages={stages} size="sm" />
          </Table.Td>
          <Table.Td>{formatMoney(d.amount, d.currency, i18n.language)}</Table.Td>
          <Table.Td>{formatDate(d.expectedCloseDate, i18n.language)}</Table.Td>
          <Table.Td>{ownerName(d.ownerId)}</Table.Td>
          <UpdatedCell at={d.updatedAt} />
        </Table.Tr>
      ))}
    </CrmTable>
  );
}
