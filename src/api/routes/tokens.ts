import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../auth/api-tokens.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { ApiTokensTable } from '../../auth/tables.ts';
import type { Selectable } from 'kysely';
import type { RouteContext } from '../context.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { uuidParam } from '../schemas.ts';

const tokenSchema = z.object({ id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });

function presentToken(row: Selectable<ApiTokensTable>) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  };
}

export function tokenRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/tokens', {
    schema: { tags: ['tokens'], response: { 200: z.object({ items: z.array(tokenSchema) }) } },
  }, async (request) => ({ items: (await listApiTokens(db, requireUser(request).id)).map(presentToken) }));

  app.post('/api/v1/tokens', {
    schema: {
      tags: ['tokens'],
      description: 'Creates a personal API token. The secret is returned once and never again.',
      body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
      response: { 201: z.object({ token: tokenSchema, secret: z.string() }) },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const { row, secret } = await createApiToken(db, user.id, request.body.name);
    await recordAudit(db, { actorUserId: user.id, action: 'token.create', targetType: 'api_token', targetId: row.id, ip: request.ip });
    return reply.code(201).send({ token: presentToken(row), secret });
  });

  app.delete('/api/v1/tokens/:id', { schema: { tags: ['tokens'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    if (!(await revokeApiToken(db, user.id, request.params.id))) throw new NotFoundError('token');
    await recordAudit(db, { actorUserId: user.id, action: 'token.revoke', targetType: 'api_token', targetId: request.params.id, ip: request.ip });
    return reply.code(204).send();
  });
}
