import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/schema-types.ts';

/** The filters every chart takes (src/api/routes/analytics-schemas.ts). */
export interface AnalyticsFilters {
  from: string;
  to: string;
  timeZone: string;
  ownerId: string | null;
  team: string | null;
}

export type ChartAnswers = {
  'mail-per-week': ResponseOf<'/api/v1/analytics/mail-per-week', 'get'>;
  'mail-by-contact': ResponseOf<'/api/v1/analytics/mail-by-contact', 'get'>;
  'mail-by-company': ResponseOf<'/api/v1/analytics/mail-by-company', 'get'>;
  'mail-by-owner': ResponseOf<'/api/v1/analytics/mail-by-owner', 'get'>;
  'first-reply': ResponseOf<'/api/v1/analytics/first-reply', 'get'>;
  'unanswered-age': ResponseOf<'/api/v1/analytics/unanswered-age', 'get'>;
  'pipeline-by-stage': ResponseOf<'/api/v1/analytics/pipeline-by-stage', 'get'>;
  'pipeline-over-time': ResponseOf<'/api/v1/analytics/pipeline-over-time', 'get'>;
  'win-rate': ResponseOf<'/api/v1/analytics/win-rate', 'get'>;
  forecast: ResponseOf<'/api/v1/analytics/forecast', 'get'>;
  'revenue-per-month': ResponseOf<'/api/v1/analytics/revenue-per-month', 'get'>;
  'top-customers': ResponseOf<'/api/v1/analytics/top-customers', 'get'>;
};
export type ChartName = keyof ChartAnswers;

function query(f: AnalyticsFilters): string {
  const s = new URLSearchParams({ from: f.from, to: f.to, timeZone: f.timeZone });
  if (f.ownerId) s.set('ownerId', f.ownerId);
  if (f.team) s.set('team', f.team);
  return s.toString();
}

/** The chart's CSV download (same filters): a plain link, so the browser saves the file. */
export const chartCsvUrl = (name: ChartName, f: AnalyticsFilters) => `/api/v1/analytics/${name}.csv?${query(f)}`;

export function useChart<N extends ChartName>(name: N, filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ['analytics', name, filters],
    queryFn: () => api.get<ChartAnswers[N]>(`/api/v1/analytics/${name}?${query(filters)}`),
    placeholderData: keepPreviousData,
  });
}
