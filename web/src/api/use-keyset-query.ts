import { type InfiniteData, keepPreviousData, type QueryKey, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

/** One page of any keyset-paginated list of the API. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Pages<T> = InfiniteData<Page<T>, string | null>;

/**
 * A keyset-paginated list over `{items, nextCursor}`: the first page for each `queryKey` (the filters and
 * sort), then "load more" with the cursor. An answer for an older key never shows. The rows of the last key
 * stay on screen while the next key's first page loads (search as you type) unless `keepPrevious` is false.
 */
export function useKeysetQuery<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  { keepPrevious = true }: { keepPrevious?: boolean } = {},
) {
  const client = useQueryClient();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPrevious ? keepPreviousData : undefined,
  });
  const pages = query.data?.pages;
  const items = pages ? pages.flatMap((p) => p.items) : null;

  /** Edits the loaded rows in place (a row created, saved or deleted here), keeping the cursor. */
  const setItems = useCallback(
    (update: (prev: T[] | null) => T[]) => {
      client.setQueryData<Pages<T>>(queryKey, (data) => {
        if (!data) return data;
        const nextCursor = data.pages.at(-1)?.nextCursor ?? null;
        return { pages: [{ items: update(data.pages.flatMap((p) => p.items)), nextCursor }], pageParams: [null] };
      });
    },
    [client, queryKey],
  );

  /** Loads the first page again, dropping the pages loaded after it. */
  const reload = useCallback(async () => {
    client.setQueryData<Pages<T>>(queryKey, (data) =>
      data ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
    );
    await client.invalidateQueries({ queryKey, exact: true });
  }, [client, queryKey]);

  return {
    items,
    setItems,
    hasMore: query.hasNextPage,
    // A second click while a page is on its way waits for that page instead of asking again.
    loadMore: () => query.fetchNextPage({ cancelRefetch: false }),
    loadingMore: query.isFetchingNextPage,
    error: query.error,
    reload,
  };
}

/** `setItems` updates for a row changed here: a new row goes first, a saved row keeps its place, a deleted row goes. */
export const prepended =
  <T>(item: T) =>
  (prev: T[] | null): T[] => [item, ...(prev ?? [])];
export const replaced =
  <T extends { id: string }>(item: T, same: (a: T, b: T) => boolean = (a, b) => a.id === b.id) =>
  (prev: T[] | null): T[] =>
    (prev ?? []).map((x) => (same(x, item) ? item : x));
export const withoutId =
  <T extends { id: string }>(id: string) =>
  (prev: T[] | null): T[] =>
    (prev ?? []).filter((x) => x.id !== id);
