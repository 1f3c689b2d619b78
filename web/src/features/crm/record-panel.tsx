import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { type Page, prepended, useKeysetQuery, withoutId } from '../../api/use-keyset-query.ts';
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

/**
 * A record tab's rows and what changes them: `adding` is what the add dialog is creating (`closed` when it is
 * not open), `added` closes it and puts the new row first, `remove` drops a row once its request succeeded,
 * and `error` is the list's or the last failed change's.
 */
export function usePanelRows<T extends { id: string }, A>(
  key: readonly unknown[],
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  closed: A,
) {
  const list = useKeysetQuery(key, fetchPage);
  const [failed, setFailed] = useState<unknown>(null);
  const [adding, setAdding] = useState<A>(closed);
  return {
    list,
    error: failed ?? list.error,
    adding,
    setAdding,
    added(row: T) {
      setAdding(closed);
      list.setItems(prepended(row));
    },
    remove(id: string, request: Promise<unknown>) {
      request.then(() => list.setItems(withoutId(id))).catch(setFailed);
    },
  };
}
