import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { linkThreadToDeal, unlinkThreadFromDeal } from '../../linking/index.ts';
import { readRecordTimeline, timelineItemSchema } from '../../timeline/index.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { pageOf, pageQuery } from '../query-schemas.ts';
import { actorOf } from '../request-actor.ts';
import { uuidParam } from '../schemas.ts';
import { problems } from './crm-schemas.ts';

const threadParams = z.strictObject({ id: z.uuid(), threadId: z.uuid() });

/** Timelines of contacts, companies and deals, and linking a thread to a deal by hand. */
export function timelineRoutes({ app, db }: RouteContext): void {
  for (const [kind, path] of [
    ['contact', 'contacts'],
    ['company', 'companies'],
    ['deal', 'deals'],
  ] as const) {
    app.get(
      `/api/v1/${path}/:id/timeline`,
      {
        schema: {
          tags: ['timeline'],
          description: `Newest first: emails the caller may see (cut to each mailbox's visibility), notes, tasks, calls, deals${kind === 'deal' ? '' : ' and purchases'}. Keyset-paginated with \`cursor\`.`,
          params: uuidParam,
          querystring: pageQuery(100, 300),
          response: { 200: pageOf(timelineItemSchema), ...problems(400, 401, 404) },
        },
      },
      async (request) => readRecordTimeline(db, requireUser(request).id, { kind, id: request.params.id }, request.query),
    );
  }

  app.post(
    '/api/v1/deals/:id/threads',
    {
      schema: {
        tags: ['timeline'],
        description: 'Links a mail thread to the deal (its mail then shows on the deal timeline).',
        params: uuidParam,
        body: z.strictObject({ threadId: z.uuid() }),
        response: { 201: z.object({ dealId: z.string(), threadId: z.string() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await linkThreadToDeal(db, actorOf(request), request.params.id, request.body.threadId)),
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/deals/:id/threads/:threadId',
    'Unlinked.',
    { tags: ['timeline'], params: threadParams, response: problems(401, 403, 404) },
    (request) => unlinkThreadFromDeal(db, actorOf(request), request.params.id, request.params.threadId),
  );
}
