import { z } from 'zod';
import { databaseReachable } from '../../db/index.ts';
import type { RouteContext } from '../context.ts';

const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'unreachable']), version: z.string() });

export function healthRoutes({ app, db, version }: RouteContext): void {
  app.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['system'],
        response: { 200: healthSchema.describe('Everything answers.'), 503: healthSchema.describe('The database does not answer.') },
      },
    },
    async (_request, reply) => {
      const up = await databaseReachable(db);
      return reply.code(up ? 200 : 503).send({ status: up ? 'ok' : 'degraded', database: up ? 'ok' : 'unreachable', version });
    },
  );
}
