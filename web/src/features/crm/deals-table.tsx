import { Badge } from '@mantine/core';
import { type RecordRows, RecordTable } from './crm-table.tsx';
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
export function DealsTable({ stages, ownerName, ...rows }: RecordRows<Deal> & { stages: Stage[]; ownerName(id: string): string }) {
  const { t, i18n } = useCrmT();
  return (
    <RecordTable
      {...rows}
      record={RECORD_KINDS.deal}
      minWidth={720}
      columns={[
        { label: t('fields.stage'), cell: (d) => <DealStageBadge deal={d} stages={stages} size="sm" /> },
        { label: t('fields.amount'), sortBy: 'amount', cell: (d) => formatMoney(d.amount, d.currency, i18n.language) },
        { label: t('fields.expectedClose'), cell: (d) => formatDate(d.expectedCloseDate, i18n.language) },
        { label: t('fields.owner'), cell: (d) => ownerName(d.ownerId) },
      ]}
    />
  );
}
