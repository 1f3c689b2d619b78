import { Stack, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { type AnalyticsFilters, useChart } from './api.ts';
import { FilterBar, type Preset } from './filter-bar.tsx';
import { formatsFor, lastDays, useAnalyticsT } from './format.ts';
import { MailCharts, ReplyCharts } from './mail-charts.tsx';
import { PipelineCharts, PurchaseCharts } from './money-charts.tsx';

/** The dashboard's charts with their filters (docs/analytics.md says what each counts). */
export function AnalyticsSection() {
  const { t, i18n } = useAnalyticsT();
  const [preset, setPreset] = useState<Preset>('last90');
  const [filters, setFilters] = useState<AnalyticsFilters>(() => ({
    ...lastDays(90),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    ownerId: null,
    team: null,
  }));
  const [chosenCurrency, setCurrency] = useState<string | null>(null);
  const f = useMemo(() => formatsFor(i18n.language), [i18n.language]);

  // The currencies the money charts could show: those of the deals and of the period's purchases.
  const stages = useChart('pipeline-by-stage', filters).data?.items ?? [];
  const revenue = useChart('revenue-per-month', filters).data?.items ?? [];
  const currencies = [
    ...new Set([...stages.map((s) => s.currency), ...revenue.map((r) => r.currency)].filter((c): c is string => !!c)),
  ].sort();
  const currency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : (currencies[0] ?? null);

  return (
    <Stack gap="md" component="section" aria-labelledby="analytics-title" data-testid="analytics">
      <Title order={2} size="h3" id="analytics-title">
        {t('title')}
      </Title>
      <FilterBar
        filters={filters}
        preset={preset}
        currency={currency}
        currencies={currencies}
        onChange={(next, nextPreset) => {
          setFilters(next);
          setPreset(nextPreset);
        }}
        onCurrency={setCurrency}
      />
      <MailCharts filters={filters} f={f} />
      <ReplyCharts filters={filters} f={f} />
      <PipelineCharts filters={filters} f={f} currency={currency} />
      <PurchaseCharts filters={filters} f={f} currency={currency} />
    </Stack>
  );
}
