/** Webhooks: subscriptions, the fan-out of bus events into deliveries, and the worker that sends them. Routes: src/api/routes/webhooks.ts. */
export {
  changeWebhook,
  createWebhook,
  deleteWebhook,
  replayDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  type WebhookDeps,
  type WebhookWithSecret,
} from './commands.ts';
export { WebhookError, type WebhookErrorCode } from './errors.ts';
export { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './event-types.ts';
export { startWebhookFanout, type WebhookFanout } from './fanout.ts';
export { deliverySchema, webhookSchema } from './presenter.ts';
export { listDeliveries, listWebhooks, readWebhook } from './queries.ts';
export { newSigningSecret, signatureHeader, verifySignature } from './signature.ts';
export type { WebhooksTables } from './tables.ts';
export { startWebhookWorker, type WebhookWorker } from './worker.ts';
