import { z } from 'zod';
import { listSessions, revokeSession } from '../../auth/commands/sessions.ts';
import { updateProfile } from '../../auth/commands/users.ts';
import { presentUser } from '../../auth/presenters.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { localeSchema, nameSchema, problemResponses, timestampSchema, userSchema } from '../schemas.ts';

const sessionSchema = z.object({
  id: z.string(),
  createdAt: timestampSchema,
  lastSeenAt: timestampSchema,
  expiresAt: timestampSchema,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean().describe('The session this request came with.'),
});

export function meRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/me',
    {
      schema: { tags: ['auth'], response: { 200: z.object({ user: userSchema }), ...problemResponses(401) } },
    },
    async (request) => ({ user: presentUser(requireUser(request)) }),
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        body: z.strictObject({ name: nameSchema.optional(), locale: localeSchema.nullable().optional() }),
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ user: await updateProfile(db, requireUser(request), request.body) }),
  );

  app.get(
    '/api/v1/me/sessions',
    {
      schema: {
        tags: ['auth'],
        description: 'Where you are signed in: each browser session, most recently used first.',
        response: { 200: z.object({ items: z.array(sessionSchema) }), ...problemResponses(401) },
      },
    },
    async (request) => ({ items: await listSessions(db, requireUser(request).id, request.auth?.sessionId) }),
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/me/sessions/:id',
    'That browser is signed out at once.',
    {
      tags: ['auth'],
      params: z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/, 'must be a session id') }),
      response: problemResponses(400, 401, 403, 404),
    },
    (request) => revokeSession(db, requireUser(request).id, request.params.id, request.ip),
  );
}
