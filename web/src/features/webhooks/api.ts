import { api } from '../../api/client.ts';
import type { ItemOf, RequestOf, ResponseOf } from '../../api/schema-types.ts';

export type Webhook = ItemOf<'/api/v1/webhooks'>;
export type WebhookDelivery = ItemOf<'/api/v1/webhooks/{id}/deliveries'>;
export type WebhookInput = RequestOf<'/api/v1/webhooks', 'post'>;
export type WebhookEventType = WebhookInput['events'][number];
type WithSecret = ResponseOf<'/api/v1/webhooks', 'post'>;

/** What Settings › Webhooks offers, in the order of the checklist. */
export const WEBHOOK_EVENTS: WebhookEventType[] = [
  'message.created',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'company.created',
  'company.updated',
  'company.deleted',
  'deal.created',
  'deal.updated',
  'deal.deleted',
  'deal.stage_changed',
  'mailbox.attention',
  'task.due',
];

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
