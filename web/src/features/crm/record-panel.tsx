import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { useKeysetQuery } from '../../api/use-keyset-query.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { LoadMore } from './load-more.tsx';

/**
 * A tab of a record page: its add buttons in a row, the error of its list or of a change made there, then
 * the rows (and the dialog that adds one).
 */
export function RecordPanel({
  testId,
  actions,
  error,
  errorTestId,
  children,
}: {
  testId?: string;
  actions: ReactNode;
  error?: unknown;
  errorTestId?: string;
  children: ReactNode;
}) {
  return (
    <Stack gap="sm" data-testid={testId}>
      <Group gap="xs">{actions}</Group>
      {errorTestId ? <CrmErrorAlert error={error} testId={errorTestId} /> : null}
      {children}
    </Stack>
  );
}

/** A small button above a record tab's rows that adds one (a deal, a purchase, a note). */
export function AddButton({ label, onClick, testId }: { label: string; onClick(): void; testId: string }) {
  return (
    <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={onClick} data-testid={testId}>
      {label}
    </Button>
  );
}

/**
 * A record tab's rows in a card: a line when the list is empty, else `children` (the table of the rows
 * loaded so far), and "load more" while the server has more.
 */
export function TableCard<T>({
  list,
  empty,
  emptyTestId,
  moreTestId,
  children,
}: {
  list: ReturnType<typeof useKeysetQuery<T>>;
  empty: string;
  emptyTestId?: string;
  moreTestId: string;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <Paper withBorder>
      {list.items?.length === 0 ? (
        <Text size="sm" c="dimmed" p="md" data-testid={emptyTestId}>
          {empty}
        </Text>
      ) : (
        children(list.items ?? [])
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId={moreTestId} />
    </Paper>
  );
}
