import { BarChart, CompositeChart } from '@mantine/charts';
import { SimpleGrid } from '@mantine/core';
import { stageLabel } from '../crm/text.ts';
import { type AnalyticsFilters, useChart } from './api.ts';
import { ChartCard } from './chart-card.tsx';
import { type Formats, useAnalyticsT } from './format.ts';

interface Props {
  filters: AnalyticsFilters;
  f: Formats;
  /** Amounts in different currencies are never added: the money charts show this one. */
  currency: string | null;
}

const FORECAST_SPECIAL = ['overdue', 'later', 'unscheduled'] as const;

/** Deal amounts beside their probability-weighted share, per stage or per forecast period. */
function AmountBars({
  h,
  data,
  dataKey,
  money,
}: {
  h: number;
  data: Record<string, unknown>[];
  dataKey: string;
  money(v: number): string;
}) {
  const { t } = useAnalyticsT();
  return (
    <BarChart
      h={h}
      data={data}
      dataKey={dataKey}
      series={[
        { name: 'amount', color: 'blue.7', label: t('amount') },
        { name: 'weighted', color: 'teal.7', label: t('weighted') },
      ]}
      withLegend
      valueFormatter={money}
    />
  );
}

/** Pipeline by stage and over time, win rate and forecast. */
export function PipelineCharts({ filters, f, currency }: Props) {
  const { t, i18n } = useAnalyticsT();
  const money = (v: number) => (currency ? f.money(v, currency) : f.number(v));
  const stages = useChart('pipeline-by-stage', filters).data?.items ?? [];
  const weeks = (useChart('pipeline-over-time', filters).data?.items ?? []).filter((w) => w.currency === currency);
  const wins = useChart('win-rate', filters).data;
  const forecast = (useChart('forecast', filters).data?.items ?? []).filter((r) => r.currency === currency);

  const stageRows = [...new Map(stages.map((s) => [s.stageId, s])).values()].map((s) => {
    const mine = stages.find((r) => r.stageId === s.stageId && r.currency === currency);
    return { stage: stageLabel(s.name, i18n.language), amount: Number(mine?.amount ?? 0), weighted: Number(mine?.weighted ?? 0) };
  });
  const periodLabel = (p: string) =>
    (FORECAST_SPECIAL as readonly string[]).includes(p) ? t(`periods.${p as (typeof FORECAST_SPECIAL)[number]}`) : f.month(p);
  const summary = wins?.summary;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <ChartCard
        name="pipeline-by-stage"
        title={t('charts.pipelineByStage')}
        filters={filters}
        hasData={stageRows.some((s) => s.amount > 0)}
        note={t('stageNote')}
      >
        <AmountBars h={240} data={stageRows} dataKey="stage" money={money} />
      </ChartCard>
      <ChartCard
        name="pipeline-over-time"
        title={t('charts.pipelineOverTime')}
        filters={filters}
        hasData={weeks.some((w) => Number(w.open) + Number(w.won) + Number(w.lost) > 0)}
      >
        <CompositeChart
          h={240}
          data={weeks.map((w) => ({ week: w.week, open: Number(w.open), won: Number(w.won), lost: Number(w.lost) }))}
          dataKey="week"
          series={[
            { name: 'open', color: 'blue.7', type: 'line', label: t('open') },
            { name: 'won', color: 'teal.7', type: 'bar', label: t('won') },
            { name: 'lost', color: 'red.8', type: 'bar', label: t('lost') },
          ]}
          withLegend
          valueFormatter={money}
          xAxisProps={{ tickFormatter: f.week }}
        />
      </ChartCard>
      <ChartCard
        name="win-rate"
        title={t('charts.winRate')}
        filters={filters}
        hasData={!!summary && summary.won + summary.lost > 0}
        note={
          summary?.winRate != null
            ? t('winRateSummary', { rate: f.percent(summary.winRate), won: f.number(summary.won), lost: f.number(summary.lost) })
            : t('noneClosed')
        }
      >
        <BarChart
          h={220}
          data={wins?.items ?? []}
          dataKey="month"
          type="stacked"
          series={[
            { name: 'won', color: 'teal.7', label: t('won') },
            { name: 'lost', color: 'red.8', label: t('lost') },
          ]}
          withLegend
          valueFormatter={f.number}
          xAxisProps={{ tickFormatter: f.month }}
        />
      </ChartCard>
      <ChartCard name="forecast" title={t('charts.forecast')} filters={filters} hasData={forecast.length > 0} note={t('forecastRule')}>
        <AmountBars
          h={220}
          data={forecast.map((r) => ({ period: periodLabel(r.period), amount: Number(r.amount), weighted: Number(r.weighted) }))}
          dataKey="period"
          money={money}
        />
      </ChartCard>
    </SimpleGrid>
  );
}

/** Purchase revenue per month and the top customers. */
export function PurchaseCharts({ filters, f, currency }: Props) {
  const { t } = useAnalyticsT();
  const money = (v: number) => (currency ? f.money(v, currency) : f.number(v));
  const months = (useChart('revenue-per-month', filters).data?.items ?? []).filter((m) => m.currency === currency);
  const top = (useChart('top-customers', filters).data?.items ?? []).filter((c) => c.currency === currency);
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <ChartCard name="revenue-per-month" title={t('charts.revenuePerMonth')} filters={filters} hasData={months.some((m) => m.count > 0)}>
        <BarChart
          h={240}
          data={months.map((m) => ({ month: m.month, amount: Number(m.amount) }))}
          dataKey="month"
          series={[{ name: 'amount', color: 'grape.7', label: t('revenue') }]}
          valueFormatter={money}
          xAxisProps={{ tickFormatter: f.month }}
        />
      </ChartCard>
      <ChartCard name="top-customers" title={t('charts.topCustomers')} filters={filters} hasData={top.length > 0}>
        <BarChart
          h={Math.max(160, top.length * 32)}
          data={top.map((c) => ({ name: c.name, amount: Number(c.amount) }))}
          dataKey="name"
          orientation="vertical"
          series={[{ name: 'amount', color: 'grape.7', label: t('revenue') }]}
          valueFormatter={money}
          yAxisProps={{ width: 110 }}
        />
      </ChartCard>
    </SimpleGrid>
  );
}
