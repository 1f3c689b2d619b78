import { z } from 'zod';
import { blocklistEntrySchema, blockValue, readBlocklist, unblockEntry } from '../../blocklist/index.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { uuidParam } from '../schemas.ts';
import { actorOf } from '../request-actor.ts';
import { problems } from './crm-schemas.ts';

/** The blocklist: workspace entries (admins only) hide mail from everyone, user entries from their owner only. */
export function blocklistRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/blocklist',
    { schema: { tags: ['blocklist'], response: { 200: z.object({ items: z.array(blocklistEntrySchema) }), ...problems(401) } } },
    async (request) => ({ items: await readBlocklist(db, actorOf(request).user.id) }),
  );

  app.post(
    '/api/v1/blocklist',
    {
      schema: {
        tags: ['blocklist'],
        body: z.strictObject({
          scope: z.enum(['workspace', 'user']).default('user'),
          kind: z.enum(['address', 'domain']),
          value: z.string().min(1).max(254),
        }),
        response: { 201: z.object({ entry: blocklistEntrySchema }), ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ entry: await blockValue(db, actorOf(request), request.body) }),
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/blocklist/:id',
    'Removed from the blocklist.',
    { tags: ['blocklist'], params: uuidParam, response: problems(401, 403, 404) },
    (request) => unblockEntry(db, actorOf(request), request.params.id),
  );
}
