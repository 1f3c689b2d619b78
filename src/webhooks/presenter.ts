import { z } from 'zod';
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from './tables.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  /** 'gone' when Tidings switched it off because the receiver answered 410. */
  disabledReason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookView = z.infer<typeof webhookSchema>;

/** Never the secret: it is shown once, by the answer that made or rotated it. */
export function presentWebhook(row: WebhookSubscriptionRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    active: row.active,
    disabledReason: row.disabled_reason,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export const deliverySchema = z.object({
  id: z.string().describe('Sent as Tidings-Delivery; the same on every retry of this delivery.'),
  eventId: z.string(),
  eventType: z.string(),
  state: z.enum(['pending', 'delivering', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  replayOf: z.string().nullable(),
  createdAt: z.string(),
  payload: z.object({ id: z.string(), type: z.string(), createdAt: z.string(), data: z.record(z.string(), z.unknown()) }),
});
export type DeliveryView = z.infer<typeof deliverySchema>;

export function presentDelivery(row: WebhookDeliveryRow): DeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: iso(row.last_attempt_at),
    deliveredAt: iso(row.delivered_at),
    replayOf: row.replay_of,
    createdAt: iso(row.created_at)!,
    payload: row.payload,
  };
}
