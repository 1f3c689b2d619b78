import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from './types.ts';

/**
 * A keyset-paginated list: the first page whenever `key` (the filters and sort) changes, then "load more"
 * with the cursor. A late answer for an old key is dropped, so fast typing never shows stale rows.
 */
export function useKeysetList<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, key: string) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const page = await fetchRef.current(null);
      if (mine !== generation.current) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(err);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [key, reload]);

  async function loadMore() {
    if (!cursor) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const page = await fetchRef.current(cursor);
      if (mine !== generation.current) return;
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  return { items, setItems, hasMore: cursor !== null, loadMore, loadingMore, error, reload };
}
