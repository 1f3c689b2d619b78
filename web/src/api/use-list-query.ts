import { type QueryKey, useQuery, useQueryClient } from '@tanstack/react-query';

/**
 * A whole (unpaged) list of records with ids, as a settings page shows it: the rows, the load error, and
 * edits of the loaded rows after a write here (the server's answer replaces the row, no refetch).
 */
export function useListQuery<T extends { id: string }>(queryKey: QueryKey, fetchAll: () => Promise<{ items: T[] }>) {
  const client = useQueryClient();
  const query = useQuery({ queryKey, queryFn: async () => (await fetchAll()).items });
  const update = (fn: (prev: T[]) => T[]) => client.setQueryData<T[]>(queryKey, (prev) => fn(prev ?? []));
  return {
    items: query.data ?? null,
    error: query.error,
    reload: () => client.invalidateQueries({ queryKey, exact: true }),
    /** Puts a saved row in place of its old self, or adds it (at the end, or first with `prepend`). */
    upsert: (item: T, { prepend = false } = {}) =>
      update((prev) =>
        prev.some((x) => x.id === item.id) ? prev.map((x) => (x.id === item.id ? item : x)) : prepend ? [item, ...prev] : [...prev, item],
      ),
    remove: (id: string) => update((prev) => prev.filter((x) => x.id !== id)),
  };
}
