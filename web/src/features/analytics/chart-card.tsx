import { Button, Group, Paper, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { SectionTitle } from '../../components/section-title.tsx';
import { type AnalyticsFilters, type ChartName, chartCsvUrl } from './api.ts';
import { useAnalyticsT } from './format.ts';

interface ChartCardProps {
  name: ChartName;
  title: string;
  filters: AnalyticsFilters;
  /** False when the chart has nothing to draw: the card says so instead. */
  hasData: boolean;
  note?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}

/** One chart: its title, a CSV download of the same figures, a line of summary, and the chart. */
export function ChartCard({ name, title, filters, hasData, note, extra, children }: ChartCardProps) {
  const { t } = useAnalyticsT();
  return (
    <Paper withBorder p="md" data-testid={`chart-${name}`} data-has-data={hasData}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <SectionTitle title={title} />
        <Group gap="xs" wrap="nowrap">
          {extra}
          <Button
            component="a"
            href={chartCsvUrl(name, filters)}
            download
            variant="subtle"
            size="compact-xs"
            leftSection={<IconDownload size={14} />}
            aria-label={t('csvOf', { chart: title })}
            data-testid={`chart-${name}-csv`}
          >
            CSV
          </Button>
        </Group>
      </Group>
      {note ? (
        <Text size="sm" mb="xs" data-testid={`chart-${name}-note`}>
          {note}
        </Text>
      ) : null}
      {hasData ? (
        children
      ) : (
        <Text size="sm" c="dimmed" data-testid={`chart-${name}-empty`}>
          {t('empty')}
        </Text>
      )}
    </Paper>
  );
}
