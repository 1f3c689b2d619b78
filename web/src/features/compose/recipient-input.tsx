import { Badge, Group, TagsInput, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { composeApi } from './api.ts';
import { formatAddress, invalidOf } from './addresses.ts';
import { useComposeT } from './text.ts';

interface RecipientInputProps {
  label: string;
  value: string[];
  onChange(value: string[]): void;
  testId: string;
  autoFocus?: boolean;
}

/**
 * To, Cc or Bcc: typed addresses become tags (free addresses allowed), with completion from the address
 * book (name, address, company, a bouncing marker). Tags that are not one address are shown as an error.
 */
export function RecipientInput({ label, value, onChange, testId, autoFocus }: RecipientInputProps) {
  const { t } = useComposeT();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 200);
  const { data } = useQuery({
    queryKey: ['compose-recipients', q],
    queryFn: async () => (await composeApi.recipients(q)).items,
    enabled: q.length >= 1,
    staleTime: 30_000,
  });
  const suggestions = q && search.trim() ? (data ?? []) : [];
  const byValue = new Map(suggestions.map((s) => [formatAddress(s), s]));
  const invalid = invalidOf(value);

  return (
    <TagsInput
      label={label}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      data={[...byValue.keys()].filter((v) => !value.includes(v))}
      filter={({ options }) => options}
      splitChars={[',', ';']}
      acceptValueOnBlur
      clearable={false}
      autoFocus={autoFocus}
      placeholder={value.length ? undefined : t('fields.recipientsPlaceholder')}
      error={invalid.length ? t('fields.invalidAddresses', { list: invalid.join(', ') }) : undefined}
      renderOption={({ option }) => {
        const s = byValue.get(option.value);
        return (
          <Group gap={6} wrap="nowrap" data-testid="recipient-option" data-address={s?.address ?? option.value}>
            <div style={{ minWidth: 0 }}>
              <Text size="sm" truncate="end">
                {s?.name ?? option.value}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                {s ? [s.address, s.companyName].filter(Boolean).join(' · ') : null}
              </Text>
            </div>
            {s?.bouncing ? (
              <Badge size="xs" color="red" variant="light" data-testid="recipient-bouncing">
                {t('fields.bouncing')}
              </Badge>
            ) : null}
          </Group>
        );
      }}
      comboboxProps={{ withinPortal: true }}
      data-testid={testId}
    />
  );
}
