import { type QueryKey, useQuery, useQueryClient } from '@tanstack/react-query';

/** One record a page is about: null until it arrives, and replaced by the server's answer after a save here. */
export function useRecordQuery<T>(queryKey: QueryKey, fetchOne: () => Promise<T>) {
  const client = useQueryClient();
  const query = useQuery({ queryKey, queryFn: fetchOne });
  return {
    record: query.data ?? null,
    error: query.error,
    setRecord: (record: T) => client.setQueryData<T>(queryKey, record),
  };
}
