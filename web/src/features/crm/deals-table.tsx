import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { SortHeader } from './sort-header.tsx';
import { formatDate, formatMoney, stageLabel, useCrmT } from './text.ts';
import type { Deal, Stage } from './types.ts';

const STATUS_COLOR = { open: 'blue', won: 'teal', lost: 'red' } as const;

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
  const head = (field: string, label: string) =>
    sort && onSort ? (
      <SortHeader field={field} sort={sort} onSort={onSort}>
        {label}
      </SortHeader>
    ) : (
      <Table.Th>{label}</Table.Th>
    );
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table fz="sm" verticalSpacing={6} highlightOnHover data-testid="deals-table">
        <Table.Thead>
          <Table.Tr>
            {head('name', t('fields.name'))}
            <Table.Th>{t('fields.stage')}</Table.Th>
            {head('amount', t('fields.amount'))}
            <Table.Th>{t('fields.expectedClose')}</Table.Th>
            <Table.Th>{t('fields.owner')}</Table.Th>
            {head('updatedAt', t('fields.updated'))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deals.map((d) => {
            const stage = stages.find((s) => s.id === d.stageId);
            return (
              <Table.Tr key={d.id} data-testid="deal-row" data-name={d.name}>
                <Table.Td>
                  <Anchor component={Link} to={`/deals/${d.id}`} size="sm" fw={500}>
                    {d.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={STATUS_COLOR[d.status]}>
                    {stage ? stageLabel(stage.name, i18n.language) : '—'}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatMoney(d.amount, d.currency, i18n.language)}</Table.Td>
                <Table.Td>{formatDate(d.expectedCloseDate, i18n.language)}</Table.Td>
                <Table.Td>{ownerName(d.ownerId)}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {formatDate(d.updatedAt, i18n.language)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
