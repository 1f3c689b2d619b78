import { Table } from '@mantine/core';
import { ColumnHead, CrmTable, NameCell, UpdatedCell } from './crm-table.tsx';
import { BadgeList } from './record-page.tsx';
import { RowMenu } from './row-menu.tsx';
import { useCrmT } from './text.ts';
import type { Company } from './types.ts';
import { ActionsHeader } from '../../components/actions-header.tsx';

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
      columns={
        <>
          <ColumnHead field="name" sort={sort} onSort={onSort}>
            {t('fields.name')}
          </ColumnHead>
          <Table.Th>{t('fields.domains')}</Table.Th>
          <Table.Th>{t('fields.industry')}</Table.Th>
          <Table.Th>{t('fields.owner')}</Table.Th>
          <ColumnHead field="updatedAt" sort={sort} onSort={onSort}>
            {t('fields.updated')}
          </ColumnHead>
          <ActionsHeader w={40} label={t('actions.menu')} />
        </>
      }
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
