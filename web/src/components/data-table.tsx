import { ActionsHeader } from './actions-header.tsx';
import { Button, Group, Loader, type MantineSpacing, Table, type TableProps } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The spinner a card or page shows while its first answer is on the way. */
export function LoadingBlock({ p = 'xl', size = 'sm' }: { p?: MantineSpacing; size?: 'xs' | 'sm' }) {
  return (
    <Group justify="center" p={p}>
      <Loader size={size} />
    </Group>
  );
}

/** A header cell: its label, or the label with the column's width. */
export type DataColumn = string | { label: string; width: number };

type DataTableProps = {
  columns: DataColumn[];
  actions?: { label: string; width: number };
  minWidth?: number;
  testId: string;
  children: ReactNode;
} & Pick<TableProps, 'fz' | 'verticalSpacing' | 'withTableBorder'>;

/**
 * A table of records: a header row of `columns`, then a last, unlabelled column for each row's actions
 * (named for screen readers) when `actions` is given. With `minWidth` it scrolls sideways on narrow screens.
 */
export function DataTable({ columns, actions, minWidth, testId, children, ...tableProps }: DataTableProps) {
  const table = (
    <Table data-testid={testId} {...tableProps}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table's life.
            <Table.Th key={i} w={typeof column === 'string' ? undefined : column.width}>
              {typeof column === 'string' ? column : column.label}
            </Table.Th>
          ))}
          {actions ? <ActionsHeader w={actions.width} label={actions.label} /> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
  if (minWidth === undefined) return table;
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      {table}
    </Table.ScrollContainer>
  );
}

/**
 * A loaded list as a table: a spinner until the first answer, nothing after a failed one (the page's alert
 * says why), `empty` when there are no rows, else the table with a `row` per item.
 */
export function ListTable<T>({
  items,
  error,
  empty,
  loadingPadding,
  row,
  ...table
}: {
  items: T[] | null;
  error: unknown;
  empty?: ReactNode;
  loadingPadding?: MantineSpacing;
  row(item: T): ReactNode;
} & Omit<DataTableProps, 'children'>) {
  if (items === null) return error ? null : <LoadingBlock p={loadingPadding} />;
  if (items.length === 0 && empty) return empty;
  return <DataTable {...table}>{items.map(row)}</DataTable>;
}

type RowButtonProps = {
  icon?: TablerIcon;
  size?: 'compact-sm' | 'xs';
  loading?: boolean;
  disabled?: boolean;
  onClick(): void;
  testId: string;
  children: ReactNode;
};

/** A quiet action, with its icon when it has one, at the end of a table row (log, send a test, rotate). */
export function RowButton({ icon: ActionIcon, size = 'compact-sm', testId, color, ...button }: RowButtonProps & { color?: 'red' }) {
  return (
    <Button
      {...button}
      size={size}
      variant="subtle"
      color={color}
      leftSection={ActionIcon ? <ActionIcon size={14} /> : undefined}
      data-testid={testId}
    />
  );
}

/** A red, quiet action with an icon: at the end of a table row (sign out, revoke), or, size `xs`, by a record's title (delete). */
export function RowDangerButton(props: RowButtonProps & { icon: TablerIcon }) {
  return <RowButton {...props} color="red" />;
}
