import { sql } from 'kysely';
import { z } from 'zod';
import type { RouteContext } from '../context.ts';

const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'unreachable']), version: z.string() });

export function healthRoutes({ app, db, version }: RouteContext): void {
  app.get('/api/v1/health', {
    schema: {
      tags: ['system'],
      response: { 200: healthSchema, 503: healthSchema },
    },
  }, async (_request, reply) => {
    let database: 'ok' | 'unreachable' = 'ok';
    try {
      await sql`select 1`.execute(db);
    } catch {
      database = 'unreachable';
    }
    const status = database === 'ok' ? 'ok' : 'degraded';
    return reply.code(status === 'ok' ? 200 : 503).send({ status, database, version });
  });
}
