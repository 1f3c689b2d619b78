import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { crmApi } from './api.ts';

interface Option {
  value: string;
  label: string;
}

/** Searches companies or contacts by name as the user types; keeps the chosen ones among the options. */
function useRecordOptions(kind: 'companies' | 'contacts', search: string, chosen: Option[]) {
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [found, setFound] = useState<Option[]>([]);
  useEffect(() => {
    let live = true;
    const params = { q: debounced || undefined, limit: 30 };
    const load =
      kind === 'companies'
        ? crmApi.companies(params).then((p) => p.items.map((c) => ({ value: c.id, label: c.name })))
        : crmApi
            .contacts(params)
            .then((p) => p.items.map((c) => ({ value: c.id, label: c.emails[0] ? `${c.name} <${c.emails[0].address}>` : c.name })));
    load.then((list) => live && setFound(list)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [kind, debounced]);
  const seen = new Set(found.map((o) => o.value));
  return [...chosen.filter((o) => !seen.has(o.value)), ...found];
}

interface CompanySelectProps {
  label: string;
  value: Option | null;
  onChange(value: Option | null): void;
  testId: string;
  placeholder?: string;
}

export function CompanySelect({ label, value, onChange, testId, placeholder }: CompanySelectProps) {
  const [search, setSearch] = useState('');
  const options = useRecordOptions('companies', search, value ? [value] : []);
  return (
    <Select
      label={label}
      placeholder={placeholder}
      data={options}
      value={value?.value ?? null}
      onChange={(v) => onChange(options.find((o) => o.value === v) ?? null)}
      searchable
      clearable
      filter={({ options: list }) => list}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage="—"
      data-testid={testId}
    />
  );
}

interface ContactsSelectProps {
  label: string;
  value: Option[];
  onChange(value: Option[]): void;
  testId: string;
}

export function ContactsSelect({ label, value, onChange, testId }: ContactsSelectProps) {
  const [search, setSearch] = useState('');
  const options = useRecordOptions('contacts', search, value);
  return (
    <MultiSelect
      label={label}
      data={options}
      value={value.map((o) => o.value)}
      onChange={(ids) => onChange(ids.map((v) => options.find((o) => o.value === v) ?? value.find((o) => o.value === v)!).filter(Boolean))}
      searchable
      clearable
      filter={({ options: list }) => list}
      searchValue={search}
      onSearchChange={setSearch}
      data-testid={testId}
    />
  );
}
