import { Badge, Table } from '@mantine/core';
import { RecordTable } from './crm-table.tsx';
import { RECORD_KINDS } from './record-kinds.ts';
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
    <RecordTable
      record={RECORD_KINDS.deal}
      rows={deals}
      minWidth={720}
      sort={sort}
      onSort={onSort}
      columns={[
        { label: t('fields.stage') },
        { label: t('fields.amount'), sortBy: 'amount' },
        { label: t('fields.expectedClose') },
        { label: t('fields.owner') },
      ]}
      cells={(d) => (
        <>
          <Table.Td>
            <DealStageBadge deal={d} stages={stages} size="sm" />
          </Table.Td>
          <Table.Td>{formatMoney(d.amount, d.currency, i18n.language)}</Table.Td>
          <Table.Td>{formatDate(d.expectedCloseDate, i18n.language)}</Table.Td>
          <Table.Td>{ownerName(d.ownerId)}</Table.Td>
        </>
      )}
    />
  );
}
