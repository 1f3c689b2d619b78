import { z } from 'zod';
import { listApiTokens } from '../../auth/api-tokens.ts';
import { userActor } from '../../auth/commands/actor.ts';
import { confirmIdentity } from '../../auth/commands/confirm.ts';
import { createToken, revokeToken } from '../../auth/commands/tokens.ts';
import { presentToken } from '../../auth/presenters.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { problemResponses, timestampSchema, tokenExpiresAtSchema, tokenNameSchema, tokenScopeSchema, uuidParam } from '../schemas.ts';

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: timestampSchema,
  lastUsedAt: timestampSchema.nullable(),
  expiresAt: timestampSchema.nullable().describe('After this moment the token is refused; null: until revoked.'),
  scope: z.enum(['full', 'read']).describe('`read`: GET and HEAD only; anything else answers 403 token_read_only.'),
});

export function tokenRoutes({ app, db, services }: RouteContext): void {
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
        description: 'Creates a personal API token, confirmed with the current password. The secret is returned once and never again.',
        body: z.strictObject({
          name: tokenNameSchema,
          password: z.string().min(1).max(200).describe('The current password, asked again.'),
          expiresAt: tokenExpiresAtSchema
            .optional()
            .describe('When the token stops working; leave out for a token that works until revoked.'),
          scope: tokenScopeSchema.default('full'),
        }),
        response: { 201: z.object({ token: tokenSchema, secret: z.string() }), ...problemResponses(400, 401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { name, password, expiresAt, scope } = request.body;
      await confirmIdentity(db, services.vault, user, { password });
      const options = { scope, ...(expiresAt && { expiresAt: new Date(expiresAt) }) };
      return reply.code(201).send(await createToken(db, user.id, name, userActor(user.id, request.ip), options));
    },
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/tokens/:id',
    'The token is revoked.',
    {
      tags: ['tokens'],
      params: uuidParam,
      response: problemResponses(400, 401, 403, 404),
    },
    (request) => revokeToken(db, requireUser(request).id, request.params.id, request.ip),
  );
}
