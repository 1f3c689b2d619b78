import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as T, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

export interface WebhookSubscriptionsTable {
  id: Generated<string>;
  url: string;
  /** Webhook event types (event-types.ts) this URL receives. */
  events: ColumnType<string[], string[], string[]>;
  /** The signing secret, in the vault (owner_type 'webhook'); shown once when made or rotated. */
  secret_id: string;
  active: Generated<boolean>;
  /** Why it was switched off by Tidings (the receiver answered 410 Gone), or null. */
  disabled_reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/**
 * pending: waiting for next_attempt_at; delivering: a worker holds the lease; delivered: the receiver
 * answered 2xx; failed: retries ran out (a day), the receiver answered 410, or the subscription went away.
 */
export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'failed';

/** What a receiver gets as the body: `{ id, type, createdAt, data }`. */
export interface WebhookPayload {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

export interface WebhookDeliveriesTable {
  /** Sent as Tidings-Delivery: the same on every retry of this delivery, so receivers drop duplicates by it. */
  id: Generated<string>;
  /** Keyset order of the delivery log. */
  seq: Generated<number>;
  subscription_id: string;
  /** The event's id (the payload's `id`): shared by every subscription's delivery of one event and by replays. */
  event_id: string;
  event_type: string;
  payload: Json<WebhookPayload>;
  state: Generated<DeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_holder: string | null;
  lease_expires_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  /** The delivery this one re-sends (replay), or null. */
  replay_of: string | null;
  created_at: Timestamp;
}

export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

export interface WebhooksTables {
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
