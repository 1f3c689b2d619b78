import { DomainError } from '../kernel/index.ts';

export type WebhookErrorCode =
  /** The URL is not http(s), holds a user name or password, or names an address Tidings may not reach. */
  | 'webhook_url_not_allowed'
  /** Replay of a delivery that is still being tried (pending or delivering). */
  | 'webhook_delivery_in_progress'
  /** A test event for a subscription that is switched off (it would wait until switched on). */
  | 'webhook_inactive';

export class WebhookError extends DomainError<WebhookErrorCode> {}
