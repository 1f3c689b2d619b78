import { Group, Select, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { usePeople } from '../crm/use-people.ts';
import type { AnalyticsFilters } from './api.ts';
import { lastDays, useAnalyticsT } from './format.ts';

export const PRESETS = { last30: 30, last90: 90, last365: 365 } as const;
export type Preset = keyof typeof PRESETS | 'custom';
const PERIOD_BOUNDS = ['from', 'to'] as const;

interface FilterBarProps {
  filters: AnalyticsFilters;
  preset: Preset;
  currency: string | null;
  currencies: string[];
  onChange(filters: AnalyticsFilters, preset: Preset): void;
  onCurrency(currency: string): void;
}

/** Owner, team, period (presets or two dates) and the currency the money charts show. */
export function FilterBar({ filters, preset, currency, currencies, onChange, onCurrency }: FilterBarProps) {
  const { t } = useAnalyticsT();
  const { people } = usePeople();
  const teams = useMemo(
    () => [...new Set(people.map((p) => p.team).filter((team): team is string => !!team))].sort((a, b) => a.localeCompare(b)),
    [people],
  );
  const set = (patch: Partial<AnalyticsFilters>, nextPreset: Preset = preset) => onChange({ ...filters, ...patch }, nextPreset);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="group" aria-label={t('filters.label')} data-testid="analytics-filters">
      <Select
        label={t('filters.owner')}
        size="xs"
        w={180}
        data={[{ value: '', label: t('filters.anyone') }, ...people.map((p) => ({ value: p.id, label: p.name }))]}
        value={filters.ownerId ?? ''}
        onChange={(v) => set({ ownerId: v || null })}
        allowDeselect={false}
        searchable
        data-testid="analytics-owner"
      />
      <Select
        label={t('filters.team')}
        size="xs"
        w={160}
        data={[{ value: '', label: t('filters.anyTeam') }, ...teams.map((team) => ({ value: team, label: team }))]}
        value={filters.team ?? ''}
        onChange={(v) => set({ team: v || null })}
        allowDeselect={false}
        data-testid="analytics-team"
      />
      <Select
        label={t('filters.range')}
        size="xs"
        w={160}
        data={[
          ...Object.keys(PRESETS).map((p) => ({ value: p, label: t(`filters.${p as keyof typeof PRESETS}`) })),
          { value: 'custom', label: t('filters.custom') },
        ]}
        value={preset}
        onChange={(v) => {
          const next = (v ?? 'last90') as Preset;
          if (next === 'custom') set({}, next);
          else set(lastDays(PRESETS[next]), next);
        }}
        allowDeselect={false}
        data-testid="analytics-range"
      />
      {PERIOD_BOUNDS.map((bound) => (
        <TextInput
          key={bound}
          type="date"
          label={t(`filters.${bound}`)}
          size="xs"
          value={filters[bound]}
          // Each bound keeps the period the right way round.
          min={bound === 'to' ? filters.from : undefined}
          max={bound === 'from' ? filters.to : undefined}
          onChange={(e) => e.currentTarget.value && set({ [bound]: e.currentTarget.value }, 'custom')}
          data-testid={`analytics-${bound}`}
        />
      ))}
      {currencies.length ? (
        <Select
          label={t('filters.currency')}
          size="xs"
          w={110}
          data={currencies}
          value={currency}
          onChange={(v) => v && onCurrency(v)}
          allowDeselect={false}
          data-testid="analytics-currency"
        />
      ) : null}
    </Group>
  );
}
