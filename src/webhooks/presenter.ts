import { z } from 'zod';
import { iso, isoOrNull, storedFields, timestampSchema } from '../kernel/index.ts';
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from './tables.ts';

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  /** 'gone' when Tidings switched it off because the receiver answered 410. */
  disabledReason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type WebhookView = z.infer<typeof webhookSchema>;

/** Never the secret: it is shown once, by the answer that made or rotated it. */
export function presentWebhook(row: WebhookSubscriptionRow): WebhookView {
  return {
    ...storedFields(row, ['id', 'url', 'events', 'active', 'disabledReason', 'createdBy']),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export const deliverySchema = z.object({
  id: z.string().describe('Sent as Tidings-Delivery; the same on every retry of this delivery.'),
  eventId: z.string(),
  eventType: z.string(),
  state: z.enum(['pending', 'delivering', 'delivered', 'failed']),
  attempts: z.number().describe('Attempts made so far, the one under way included.'),
  nextAttemptAt: timestampSchema.nullable(),
  lastStatusCode: z.number().nullable().describe("The receiver's HTTP status at the last attempt; null when no answer came."),
  lastError: z.string().nullable(),
  lastAttemptAt: timestampSchema.nullable(),
  deliveredAt: timestampSchema.nullable(),
  replayOf: z.string().nullable().describe('The delivery this one replays; null for a first delivery.'),
  createdAt: timestampSchema,
  payload: z.object({ id: z.string(), type: z.string(), createdAt: z.string(), data: z.record(z.string(), z.unknown()) }),
});
export type DeliveryView = z.infer<typeof deliverySchema>;

export function presentDelivery(row: WebhookDeliveryRow): DeliveryView {
  return {
    ...storedFields(row, ['id', 'eventId', 'eventType', 'state', 'attempts', 'lastStatusCode', 'lastError', 'replayOf', 'payload']),
    nextAttemptAt: row.state === 'pending' ? isoOrNull(row.next_attempt_at) : null,
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    deliveredAt: isoOrNull(row.delivered_at),
    createdAt: iso(row.created_at),
  };
}
