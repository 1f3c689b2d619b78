import { Table } from '@mantine/core';
import { RecordTable } from './crm-table.tsx';
import { BadgeList } from './record-page.tsx';
import { RECORD_KINDS } from './record-kinds.ts';
import { useCrmT } from './text.ts';
import type { Company } from './types.ts';

interface Props {
  companies: Company[];
  sort: string;
  onSort(sort: string): void;
  ownerName(id: string): string;
  onEdit(company: Company): void;
  onDelete(company: Company): void;
}

/** A dense list of companies; the name opens the company's page. */
export function CompaniesTable({ companies, sort, onSort, ownerName, onEdit, onDelete }: Props) {
  const { t } = useCrmT();
  return (
    <RecordTable
      record={RECORD_KINDS.company}
      rows={companies}
      minWidth={760}
      sort={sort}
      onSort={onSort}
      menu={{ onEdit, onDelete }}
      columns={[{ label: t('fields.domains') }, { label: t('fields.industry') }, { label: t('fields.owner') }]}
      cells={(c) => (
        <>
          <Table.Td>
            <BadgeList items={c.domains} variant="outline" />
          </Table.Td>
          <Table.Td>{c.industry ?? ''}</Table.Td>
          <Table.Td>{ownerName(c.ownerId)}</Table.Td>
        </>
      )}
    />
  );
}
