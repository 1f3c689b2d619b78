import { useQuery } from '@tanstack/react-query';
import { crmApi } from './api.ts';
import type { Person } from './types.ts';

const NO_PEOPLE: Person[] = [];

/** Colleagues' names for owner labels and pickers, fetched once per page load. */
export function usePeople(): { people: Person[]; nameOf(id: string): string } {
  const { data } = useQuery({
    queryKey: ['people'],
    queryFn: async () => (await crmApi.people()).items,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  const people = data ?? NO_PEOPLE;
  return { people, nameOf: (id: string) => people.find((p) => p.id === id)?.name ?? '—' };
}
