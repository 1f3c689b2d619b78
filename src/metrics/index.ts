export { createMetrics, type Metrics, type MetricsSources } from './scrape-state.ts';
export { messagesImported, syncFailures } from './counters.ts';
export { MetricsTokenError, type MetricsErrorCode } from './errors.ts';
