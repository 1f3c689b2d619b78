import { z } from 'zod';
import { listApiTokens } from '../../auth/api-tokens.ts';
import { userActor } from '../../auth/commands/actor.ts';
import { createToken, revokeToken } from '../../auth/commands/tokens.ts';
import { presentToken } from '../../auth/presenters.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { noContent, problemResponses, tokenNameSchema, uuidParam } from '../schemas.ts';

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export function tokenRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/tokens',
    {
      schema: { tags: ['tokens'], response: { 200: z.object({ items: z.array(tokenSchema) }), ...problemResponses(401) } },
    },
    async (request) => ({ items: (await listApiTokens(db, requireUser(request).id)).map(presentToken) }),
  );

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        description: 'Creates a personal API token. The secret is returned once and never again.',
        body: z.strictObject({ name: tokenNameSchema }),
        response: { 201: z.object({ token: tokenSchema, secret: z.string() }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.code(201).send(await createToken(db, user.id, request.body.name, userActor(user.id, request.ip)));
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        params: uuidParam,
        response: { 204: noContent('The token is revoked.'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeToken(db, requireUser(request).id, request.params.id, request.ip);
      return reply.code(204).send(null);
    },
  );
}
