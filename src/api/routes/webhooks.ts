import { z } from 'zod';
import { requireAdmin } from '../../auth/request-auth.ts';
import {
  changeWebhook,
  createWebhook,
  deleteWebhook,
  deliverySchema,
  listDeliveries,
  listWebhooks,
  readWebhook,
  replayDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  WEBHOOK_EVENT_TYPES,
  webhookSchema,
} from '../../webhooks/index.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { pageOf, pageQuery } from '../query-schemas.ts';
import { adminActorOf } from '../request-actor.ts';
import { problemResponses, uuidParam } from '../schemas.ts';

const urlSchema = z
  .string()
  .trim()
  .max(2000)
  .url({ message: 'must be a URL' })
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must start with https:// or http://' })
  .describe('Where deliveries are POSTed. http(s) only; no user name or password in it.');
const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length * 2)
  .describe('The events this URL receives.');

const createBody = z.strictObject({ url: urlSchema, events: eventsSchema, active: z.boolean().optional() });
const patchBody = z.strictObject({ url: urlSchema.optional(), events: eventsSchema.optional(), active: z.boolean().optional() });
const withSecret = z.object({
  webhook: webhookSchema,
  secret: z.string().describe('The signing secret. Shown in this answer only: store it with your receiver.'),
});
const deliveryParams = z.strictObject({ id: z.uuid({ message: 'must be an id' }), deliveryId: z.uuid({ message: 'must be an id' }) });

/** Webhooks (admins): subscriptions, their delivery log, replay and test events. docs/webhooks.md. */
export function webhookRoutes({ app, db, services }: RouteContext): void {
  const deps = () => services.webhooks;
  const tags = ['webhooks'];

  app.get(
    '/api/v1/webhooks',
    { schema: { tags, response: { 200: z.object({ items: z.array(webhookSchema) }), ...problemResponses(401, 403) } } },
    async (request) => {
      requireAdmin(request);
      return { items: await listWebhooks(db) };
    },
  );

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        description: 'Subscribes a URL to events. The answer holds the signing secret, once.',
        body: createBody,
        response: { 201: withSecret, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createWebhook(deps(), adminActorOf(request), request.body)),
  );

  app.get(
    '/api/v1/webhooks/:id',
    { schema: { tags, params: uuidParam, response: { 200: webhookSchema, ...problemResponses(401, 403, 404) } } },
    async (request) => {
      requireAdmin(request);
      return readWebhook(db, request.params.id);
    },
  );

  app.patch(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        description: 'Changes the URL, the events or whether it is on; switching it on sends what waited meanwhile.',
        params: uuidParam,
        body: patchBody,
        response: { 200: webhookSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => changeWebhook(deps(), adminActorOf(request), request.params.id, request.body),
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/webhooks/:id',
    'Deleted, with its delivery log.',
    {
      tags,
      params: uuidParam,
      response: problemResponses(401, 403, 404),
    },
    (request) => deleteWebhook(deps(), adminActorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        description: 'A new signing secret, used from now on; shown in this answer only.',
        params: uuidParam,
        response: { 200: withSecret, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => rotateWebhookSecret(deps(), adminActorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        description: 'The delivery log, newest first.',
        params: uuidParam,
        querystring: pageQuery(100, 20),
        response: { 200: pageOf(deliverySchema), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return listDeliveries(db, request.params.id, request.query);
    },
  );

  app.post(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags,
        description: 'Sends a delivered or failed delivery again, as a new delivery of the same event.',
        params: deliveryParams,
        response: { 202: deliverySchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await replayDelivery(deps(), adminActorOf(request), request.params.id, request.params.deliveryId)),
  );

  app.post(
    '/api/v1/webhooks/:id/test',
    {
      schema: {
        tags,
        description: 'Queues a webhook.test event for this webhook alone.',
        params: uuidParam,
        response: { 202: deliverySchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await sendTestEvent(deps(), adminActorOf(request), request.params.id)),
  );
}
