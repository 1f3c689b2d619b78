import { api } from '../../api/client.ts';
import type { ItemOf, RequestOf, ResponseOf } from '../../api/schema-types.ts';

export type Webhook = ItemOf<'/api/v1/webhooks'>;
export type WebhookDelivery = ItemOf<'/api/v1/webhooks/{id}/deliveries'>;
export type WebhookInput = RequestOf<'/api/v1/webhooks', 'post'>;
export type WebhookEventType = WebhookInput['events'][number];
type WithSecret = ResponseOf<'/api/v1/webhooks', 'post'>;

/**
 * What Settings › Webhooks offers, in the order of the checklist. Keyed by the API's own list of event types
 * (generated from the OpenAPI document), so an event the server adds fails to compile until it is placed here.
 */
const EVENT_ORDER: Record<WebhookEventType, true> = {
  'message.created': true,
  'contact.created': true,
  'contact.updated': true,
  'contact.deleted': true,
  'company.created': true,
  'company.updated': true,
  'company.deleted': true,
  'deal.created': true,
  'deal.updated': true,
  'deal.deleted': true,
  'deal.stage_changed': true,
  'mailbox.attention': true,
  'task.due': true,
};
export const WEBHOOK_EVENTS = Object.keys(EVENT_ORDER) as WebhookEventType[];

const at = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;

export const webhooksApi = {
  list: () => api.get<{ items: Webhook[] }>('/api/v1/webhooks'),
  create: (input: WebhookInput) => api.post<WithSecret>('/api/v1/webhooks', input),
  change: (id: string, patch: Partial<WebhookInput>) => api.patch<Webhook>(at(id), patch),
  remove: (id: string) => api.delete(at(id)),
  rotateSecret: (id: string) => api.post<WithSecret>(`${at(id)}/rotate-secret`, {}),
  test: (id: string) => api.post<WebhookDelivery>(`${at(id)}/test`, {}),
  deliveries: (id: string, cursor: string | null) =>
    api.get<{ items: WebhookDelivery[]; nextCursor: string | null }>(
      `${at(id)}/deliveries?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  replay: (id: string, deliveryId: string) =>
    api.post<WebhookDelivery>(`${at(id)}/deliveries/${encodeURIComponent(deliveryId)}/replay`, {}),
};
