import { Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { useKeysetQuery } from '../../api/use-keyset-query.ts';
import { LoadMore } from './load-more.tsx';

/** One entry of a record's feed (timeline or activities): a round icon in the entry's colour, then its content. */
export function FeedEntry({
  icon: EntryIcon,
  color,
  testId,
  kind,
  top = false,
  children,
}: {
  icon: TablerIcon;
  color: string;
  testId: string;
  /** Set as `data-kind`, for entries of one test id that come in kinds. */
  kind?: string;
  /** Align the icon with the first line, for entries of more than one line. */
  top?: boolean;
  children: ReactNode;
}) {
  return (
    <Group align={top ? 'flex-start' : undefined} gap="sm" wrap="nowrap" data-testid={testId} data-kind={kind}>
      <ThemeIcon variant="light" color={color} size="md" radius="xl">
        <EntryIcon size={16} />
      </ThemeIcon>
      {children}
    </Group>
  );
}

/**
 * A record's feed in a card: its entries newest first, a line when it has none and "load more" while the
 * server has more. `testId` names the empty line (`<testId>-empty`) and the button (`<testId>-load-more`).
 */
export function FeedCard<T>({
  list,
  empty,
  testId,
  children,
}: {
  list: ReturnType<typeof useKeysetQuery<T>>;
  empty: string;
  testId: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <Paper withBorder p="sm">
      <Stack gap="md">
        {list.items?.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid={`${testId}-empty`}>
            {empty}
          </Text>
        ) : null}
        {list.items?.map(children)}
      </Stack>
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId={`${testId}-load-more`} />
    </Paper>
  );
}
