import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { databaseReachable, type Database } from '../db/index.ts';
import { version } from '../kernel/index.ts';
import type { SyncSupervisor } from '../sync/index.ts';

/**
 * What a sync-role process serves: GET /api/v1/health only (the web role's answer, plus how many mailboxes
 * this process syncs), for a service manager's or load balancer's checks. Nothing else listens there.
 */
export function buildSyncHealthApp({ db, sync }: { db: Kysely<Database>; sync: SyncSupervisor | null }): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/api/v1/health', async (_request, reply) => {
    const up = await databaseReachable(db);
    return reply.code(up ? 200 : 503).send({
      status: up ? 'ok' : 'degraded',
      database: up ? 'ok' : 'unreachable',
      version,
      role: 'sync',
      syncing: sync?.held().length ?? 0,
    });
  });
  return app;
}
