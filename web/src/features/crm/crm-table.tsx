import { ActionsHeader } from '../../components/actions-header.tsx';
import { Anchor, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { RecordKind } from './record-kinds.ts';
import { RowMenu } from './row-menu.tsx';
import { SortHeader } from './sort-header.tsx';
import { formatDate, useCrmT } from './text.ts';

/** A header cell of a CRM table: `sortBy` makes it sort the list by that field where the table sorts. */
export interface CrmColumn {
  label?: ReactNode;
  sortBy?: string;
  width?: number;
  /** For a column without a visible label (the row menu). */
  ariaLabel?: string;
}

/**
 * The dense, scrollable table of CRM records: `columns` are the header cells (a `false` one is left out),
 * `children` the rows. With `sort` and `onSort` the columns that name a `sortBy` sort the list.
 */
export function CrmTable({
  minWidth,
  testId,
  columns,
  sort,
  onSort,
  children,
}: {
  minWidth: number;
  testId: string;
  columns: Array<CrmColumn | false>;
  sort?: string;
  onSort?(sort: string): void;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table verticalSpacing={6} fz="sm" highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, i) =>
              column === false ? null : column.sortBy ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table's life.
                <ColumnHead key={i} field={column.sortBy} sort={sort} onSort={onSort}>
                  {column.label}
                </ColumnHead>
              ) : column.label === undefined ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table's life.
                <ActionsHeader key={i} w={column.width} label={column.ariaLabel} />
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table's life.
                <Table.Th key={i} w={column.width}>
                  {column.label}
                </Table.Th>
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A column of a record table: its header and what it shows in a row. */
export interface RecordColumn<T> extends CrmColumn {
  cell(row: T): ReactNode;
}

/** What a page gives a record table: the rows, their sort, and the row menu. */
export interface RecordRows<T> {
  rows: T[];
  sort?: string;
  onSort?(sort: string): void;
  /** With it each row ends in a menu to edit or delete the record. */
  menu?: { onEdit(row: T): void; onDelete(row: T): void };
}

interface RecordTableProps<T> extends RecordRows<T> {
  record: RecordKind;
  minWidth: number;
  /** The kind's own columns, between the name and when the record last changed; a `false` one is left out. */
  columns: Array<RecordColumn<T> | false>;
}

/**
 * A table of records of one kind (`companies-table`, rows `company-row`): the name first, which opens the
 * record, then the kind's own columns, when the record last changed, and the row menu.
 */
export function RecordTable<T extends { id: string; name: string; updatedAt: string }>({
  record: { kind, one },
  rows,
  minWidth,
  columns,
  sort,
  onSort,
  menu,
}: RecordTableProps<T>) {
  const shown = columns.filter((column) => column !== false);
  const { t } = useCrmT();
  return (
    <CrmTable
      minWidth={minWidth}
      testId={`${kind}-table`}
      sort={sort}
      onSort={onSort}
      columns={[
        { label: t('fields.name'), sortBy: 'name' },
        ...shown,
        { label: t('fields.updated'), sortBy: 'updatedAt' },
        menu !== undefined && { width: 40, ariaLabel: t('actions.menu') },
      ]}
    >
      {rows.map((row) => (
        <Table.Tr key={row.id} data-testid={`${one}-row`} data-name={row.name}>
          <NameCell to={`/${kind}/${row.id}`} name={row.name} testId={`${one}-link`} />
          {shown.map((column, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table's life.
            <Table.Td key={i}>{column.cell(row)}</Table.Td>
          ))}
          <UpdatedCell at={row.updatedAt} />
          {menu ? (
            <Table.Td>
              <RowMenu name={row.name} onEdit={() => menu.onEdit(row)} onDelete={() => menu.onDelete(row)} testId={one} />
            </Table.Td>
          ) : null}
        </Table.Tr>
      ))}
    </CrmTable>
  );
}

/** A column header that sorts the list by `field` where the table is given a sort, and a plain one elsewhere. */
function ColumnHead({ field, sort, onSort, children }: { field: string; sort?: string; onSort?(sort: string): void; children: ReactNode }) {
  if (!sort || !onSort) return <Table.Th>{children}</Table.Th>;
  return (
    <SortHeader field={field} sort={sort} onSort={onSort}>
      {children}
    </SortHeader>
  );
}

/** The first cell of a record's row: its name, which opens the record's page. */
export function NameCell({ to, name, testId }: { to: string; name: string; testId?: string }) {
  return (
    <Table.Td>
      <Anchor component={Link} to={to} fw={500} size="sm" data-testid={testId}>
        {name}
      </Anchor>
    </Table.Td>
  );
}

/** When the record last changed, small and dimmed. */
export function UpdatedCell({ at }: { at: string }) {
  const { i18n } = useCrmT();
  return (
    <Table.Td>
      <Text size="xs" c="dimmed">
        {formatDate(at, i18n.language)}
      </Text>
    </Table.Td>
  );
}
