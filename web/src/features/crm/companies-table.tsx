import { Table } from '@mantine/core';
import { CrmTable, NameCell, UpdatedCell } from './crm-table.tsx';
import { BadgeList } from './record-page.tsx';
import { RowMenu } from './row-menu.tsx';
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
    <CrmTable
      minWidth={760}
      testId="companies-table"
      sort={sort}
      onSort={onSort}
      columns={[
        { label: t('fields.name'), sortBy: 'name' },
        { label: t('fields.domains') },
        { label: t('fields.industry') },
        { label: t('fields.owner') },
        { label: t('fields.updated'), sortBy: 'updatedAt' },
        { width: 40 },
      ]}
    >
      {companies.map((c) => (
        <Table.Tr key={c.id} data-testid="company-row" data-name={c.name}>
          <NameCell to={`/companies/${c.id}`} name={c.name} testId="company-link" />
          <Table.Td>
            <BadgeList items={c.domains} variant="outline" />
          </Table.Td>
          <Table.Td>{c.industry ?? ''}</Table.Td>
          <Table.Td>{ownerName(c.ownerId)}</Table.Td>
          <UpdatedCell at={c.updatedAt} />
          <Table.Td>
            <RowMenu name={c.name} onEdit={() => onEdit(c)} onDelete={() => onDelete(c)} />
          </Table.Td>
        </Table.Tr>
      ))}
    </CrmTable>
  );
}
