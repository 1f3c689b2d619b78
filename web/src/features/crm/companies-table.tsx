import { type RecordRows, RecordTable } from './crm-table.tsx';
import { BadgeList } from './record-page.tsx';
import { RECORD_KINDS } from './record-kinds.ts';
import { useCrmT } from './text.ts';
import type { Company } from './types.ts';

/** A dense list of companies; the name opens the company's page. */
export function CompaniesTable({ ownerName, ...rows }: RecordRows<Company> & { ownerName(id: string): string }) {
  const { t } = useCrmT();
  return (
    <RecordTable
      {...rows}
      record={RECORD_KINDS.company}
      minWidth={760}
      columns={[
        { label: t('fields.domains'), cell: (c) => <BadgeList items={c.domains} variant="outline" /> },
        { label: t('fields.industry'), cell: (c) => c.industry ?? '' },
        { label: t('fields.owner'), cell: (c) => ownerName(c.ownerId) },
      ]}
    />
  );
}
