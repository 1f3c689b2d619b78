import { EmptyState, Paper } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import type { ComponentProps } from 'react';
import { ListTable } from './data-table.tsx';
import { ErrorAlert } from './error-alert.tsx';
import { CreateButton, PageHeader } from './page-header.tsx';

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

type ListPageProps<T> = {
  title: string;
  subtitle: string;
  /** The header's button that makes a new record. */
  create: { label: string; onClick(): void };
  /** The page's `useListQuery`: its rows and the failure to load them. */
  list: { items: T[] | null; error: unknown };
  /** Another failure shown where a failed load is (an action on a row). */
  actionError?: unknown;
  /** What the card shows with no rows yet. */
  empty?: { icon: TablerIcon; title: string; description?: string };
  /** The prefix of the page's test ids: `<testId>-create`, `-error`, `-table`, `-empty`. */
  testId: string;
} & Omit<ComponentProps<typeof ListTable<T>>, 'items' | 'error' | 'empty' | 'testId'>;

/** A page that lists records: its header with the create button, and the list in its card. */
export function ListPage<T>({ title, subtitle, create, list, actionError, empty, testId, ...table }: ListPageProps<T>) {
  return (
    <>
      <PageHeader
        title={title}
        subtitle={subtitle}
        actions={<CreateButton label={create.label} onClick={create.onClick} testId={`${testId}-create`} />}
      />
      <ListCard
        {...table}
        items={list.items}
        error={list.error ?? actionError}
        errorTestId={`${testId}-error`}
        testId={`${testId}-table`}
        empty={empty ? <ListEmpty {...empty} testId={`${testId}-empty`} /> : undefined}
      />
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
