import { DomainError } from '../kernel/index.ts';

export type MetricsErrorCode = 'metrics_token_invalid';

export class MetricsTokenError extends DomainError<MetricsErrorCode> {
  constructor() {
    super('metrics_token_invalid', 'Scrape /metrics with "Authorization: Bearer <TIDINGS_METRICS_TOKEN>".');
  }
}
