import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { crmApi } from './api.ts';

interface Option {
  value: string;
  label: string;
}

const NO_OPTIONS: Option[] = [];

/** Searches companies or contacts by name as the user types; keeps the chosen ones among the options. */
function useRecordOptions(kind: 'companies' | 'contacts', search: string, chosen: Option[]) {
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // While the next answer is on its way the last one stays, so the list does not flash empty as the user types.
  const { data: found = NO_OPTIONS } = useQuery({
    queryKey: [kind, 'options', debounced],
    queryFn: async () => {
      const params = { q: debounced || undefined, limit: 30 };
      if (kind === 'companies') return (await crmApi.companies(params)).items.map((c) => ({ value: c.id, label: c.name }));
      return (await crmApi.contacts(params)).items.map((c) => ({
        value: c.id,
        label: c.emails[0] ? `${c.name} <${c.emails[0].address}>` : c.name,
      }));
    },
    placeholderData: keepPreviousData,
  });
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
