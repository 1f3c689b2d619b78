import { EmptyState, Paper } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import type { ComponentProps } from 'react';
import { ListTable } from './data-table.tsx';
import { ErrorAlert } from './error-alert.tsx';

/** A page's list in its card: the failure to load it above the card, the table (or `empty`) inside. */
export function ListCard<T>({ errorTestId, ...list }: ComponentProps<typeof ListTable<T>> & { errorTestId: string }) {
  return (
    <>
      <ErrorAlert error={list.error} testId={errorTestId} />
      <Paper withBorder mt={list.error ? 'sm' : 0}>
        <ListTable {...list} />
      </Paper>
    </>
  );
}

/** What a list card shows with no rows yet: the list's icon, what it would hold, and how rows appear. */
export function ListEmpty({
  icon: Icon,
  title,
  description,
  testId,
}: {
  icon: TablerIcon;
  title: string;
  description?: string;
  testId: string;
}) {
  return (
    <EmptyState py="xl" size="sm" variant="light" icon={<Icon size={28} />} title={title} description={description} data-testid={testId} />
  );
}
