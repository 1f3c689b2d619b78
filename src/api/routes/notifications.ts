import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { listNotifications, markAllRead, markRead, presentNotification, unreadCount } from '../../notifications/index.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { booleanQuery, pageOf, pageQuery } from '../query-schemas.ts';
import { problemResponses, uuidParam } from '../schemas.ts';
import { explainedFailureSchema } from './mail-schemas.ts';

const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(['mailbox_attention', 'mailbox_recovered']),
  mailbox: z.object({ id: z.string(), email: z.string() }).nullable(),
  code: z.string().nullable().describe('The failure code (the one catalogue of the connection test and sync); null when recovered.'),
  message: explainedFailureSchema.shape.message.nullable(),
  fix: explainedFailureSchema.shape.fix.nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});

const listQuery = z.strictObject({ unread: booleanQuery.optional(), ...pageQuery(100).shape });

/**
 * The signed-in user's notifications: what the bell in the web app's header lists. A mailbox that starts
 * needing attention notifies its owner and every admin once (and once more when it works again).
 */
export function notificationRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags: ['notifications'],
        description: 'Newest first; `unread=true` for the unread ones. `unread` in the answer counts all unread.',
        querystring: listQuery,
        response: { 200: pageOf(notificationSchema).extend({ unread: z.number() }), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const [page, unread] = await Promise.all([listNotifications(db, user.id, request.query), unreadCount(db, user.id)]);
      return { items: page.items.map(presentNotification), nextCursor: page.nextCursor, unread };
    },
  );

  noContentRoute(
    app,
    'POST',
    '/api/v1/notifications/:id/read',
    'Marked read (it was already, or is now).',
    {
      tags: ['notifications'],
      params: uuidParam,
      response: problemResponses(401, 404),
    },
    (request) => markRead(db, requireUser(request).id, request.params.id),
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        response: { 200: z.object({ marked: z.number() }), ...problemResponses(401) },
      },
    },
    async (request) => ({ marked: await markAllRead(db, requireUser(request).id) }),
  );
}
