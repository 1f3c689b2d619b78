/**
 * The analytics dashboard's charts (docs/analytics.md): mail volume, reply times, pipeline, purchases.
 * Every mail figure starts from the mailboxes the reader may read (store/visibility.ts) and leaves out
 * what the reader's blocklist hides; deals and purchases are workspace records every user reads.
 */
export { CHART_NAMES, type ChartName, chartNamed, charts } from './charts.ts';
export { chartCsv } from './csv.ts';
export { type AnalyticsFilters, resolveScope } from './filters.ts';
export { AGE_BUCKETS } from './replies.ts';
export { FORECAST_MONTHS } from './pipeline.ts';
// The counts kept as mail is stored, for the dashboard's figures over the same facts.
export { blockedSql } from './filters.ts';
export { type FactScope, metricRows, segmentsOf } from './rollups.ts';
