/**
 * The events a webhook can subscribe to. Named for receivers (resource.verb), not after the internal bus
 * events they come from: a bus event may become several of these (record.changed → contact.updated).
 */
export const WEBHOOK_EVENT_TYPES = [
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
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "Send test event" only; nobody subscribes to it. */
export const TEST_EVENT_TYPE = 'webhook.test';
