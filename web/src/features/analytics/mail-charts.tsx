import { BarChart, LineChart } from '@mantine/charts';
import { SimpleGrid } from '@mantine/core';
import { useState } from 'react';
import { ChoiceControl } from '../../components/choice-control.tsx';
import { type AnalyticsFilters, useChart } from './api.ts';
import { ChartCard } from './chart-card.tsx';
import { type Formats, useAnalyticsT } from './format.ts';

const MAIL_SERIES = [
  { name: 'inbound', color: 'cyan.7' },
  { name: 'outbound', color: 'indigo.6' },
] as const;

interface Props {
  filters: AnalyticsFilters;
  f: Formats;
}

/** Mail in and out per week, and per contact, company or owner. */
export function MailCharts({ filters, f }: Props) {
  const { t } = useAnalyticsT();
  const [group, setGroup] = useState<'contact' | 'company' | 'owner'>('company');
  const weeks = useChart('mail-per-week', filters).data?.items ?? [];
  const byGroup = useChart(`mail-by-${group}`, filters).data?.items ?? [];
  const series = MAIL_SERIES.map((s) => ({ ...s, label: t(s.name) }));
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <ChartCard
        name="mail-per-week"
        title={t('charts.mailPerWeek')}
        filters={filters}
        hasData={weeks.some((w) => w.inbound + w.outbound > 0)}
      >
        <LineChart
          h={240}
          data={weeks}
          dataKey="week"
          series={series}
          withLegend
          curveType="monotone"
          valueFormatter={f.number}
          xAxisProps={{ tickFormatter: f.week }}
        />
      </ChartCard>
      <ChartCard
        name={`mail-by-${group}`}
        title={t('charts.mailBy', { group: t(`groups.${group}`) })}
        filters={filters}
        hasData={byGroup.length > 0}
        extra={
          <ChoiceControl
            value={group}
            onChange={setGroup}
            options={(['company', 'contact', 'owner'] as const).map((g) => ({ value: g, label: t(`groups.${g}`) }))}
            testId="analytics-mail-group"
          />
        }
      >
        <BarChart
          h={Math.max(160, byGroup.length * 32)}
          data={byGroup}
          dataKey="name"
          orientation="vertical"
          type="stacked"
          series={series}
          withLegend
          valueFormatter={f.number}
          yAxisProps={{ width: 110 }}
        />
      </ChartCard>
    </SimpleGrid>
  );
}

/** Median time to first reply per week, and unanswered mail by age. */
export function ReplyCharts({ filters, f }: Props) {
  const { t } = useAnalyticsT();
  const replies = useChart('first-reply', filters).data;
  const ages = useChart('unanswered-age', filters).data?.items ?? [];
  const summary = replies?.summary;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <ChartCard
        name="first-reply"
        title={t('charts.firstReply')}
        filters={filters}
        hasData={!!summary?.answered}
        note={
          summary?.medianMinutes != null
            ? t('medianReply', {
                time: f.duration(summary.medianMinutes),
                answered: f.number(summary.answered),
                conversations: f.number(summary.conversations),
              })
            : t('noReplies')
        }
      >
        <BarChart
          h={220}
          data={(replies?.items ?? []).map((w) => ({ week: w.week, median: w.medianMinutes ?? 0 }))}
          dataKey="week"
          series={[{ name: 'median', color: 'teal.7', label: t('medianMinutes') }]}
          valueFormatter={(m) => f.duration(m)}
          xAxisProps={{ tickFormatter: f.week }}
        />
      </ChartCard>
      <ChartCard name="unanswered-age" title={t('charts.unansweredAge')} filters={filters} hasData={ages.some((a) => a.count > 0)}>
        <BarChart
          h={220}
          data={ages.map((a) => ({ age: t(`ages.${a.bucket}`), count: a.count }))}
          dataKey="age"
          series={[{ name: 'count', color: 'orange.7', label: t('messages') }]}
          valueFormatter={f.number}
        />
      </ChartCard>
    </SimpleGrid>
  );
}
