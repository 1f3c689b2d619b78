import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { RowMenu } from './row-menu.tsx';
import { SortHeader } from './sort-header.tsx';
import { formatDate, useCrmT } from './text.ts';
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
  const { t, i18n } = useCrmT();
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table verticalSpacing={6} fz="sm" highlightOnHover data-testid="companies-table">
        <Table.Thead>
          <Table.Tr>
            <SortHeader field="name" sort={sort} onSort={onSort}>
              {t('fields.name')}
            </SortHeader>
            <Table.Th>{t('fields.domains')}</Table.Th>
            <Table.Th>{t('fields.industry')}</Table.Th>
            <Table.Th>{t('fields.owner')}</Table.Th>
            <SortHeader field="updatedAt" sort={sort} onSort={onSort}>
              {t('fields.updated')}
            </SortHeader>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {companies.map((c) => (
            <Table.Tr key={c.id} data-testid="company-row" data-name={c.name}>
              <Table.Td>
                <Anchor component={Link} to={`/companies/${c.id}`} fw={500} size="sm" data-testid="company-link">
                  {c.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {c.domains.map((d) => (
                    <Badge key={d} size="xs" variant="outline" tt="none">
                      {d}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{c.industry ?? ''}</Table.Td>
              <Table.Td>{ownerName(c.ownerId)}</Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {formatDate(c.updatedAt, i18n.language)}
                </Text>
              </Table.Td>
              <Table.Td>
                <RowMenu name={c.name} onEdit={() => onEdit(c)} onDelete={() => onDelete(c)} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
