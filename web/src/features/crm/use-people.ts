import { useEffect, useState } from 'react';
import { crmApi } from './api.ts';
import type { Person } from './types.ts';

let cache: Promise<Person[]> | null = null;

/** Colleagues' names for owner labels and pickers, fetched once per page load. */
export function usePeople(): { people: Person[]; nameOf(id: string): string } {
  const [people, setPeople] = useState<Person[]>([]);
  useEffect(() => {
    cache ??= crmApi.people().then((r) => r.items).catch((err: unknown) => {
      cache = null;
      throw err;
    });
    let live = true;
    cache.then((list) => live && setPeople(list)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return { people, nameOf: (id: string) => people.find((p) => p.id === id)?.name ?? '—' };
}
