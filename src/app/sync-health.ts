import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { databaseReachable, type Database } from '../db/index.ts';
import { version } from '../kernel/index.ts';
import type { SyncSupervisor } from '../sync/index.ts';

/**
 * What a sync-role process serves: GET /api/v1/health (the web role's answer, plus how many mailboxes this
 * process syncs) for a service manager's checks, and GET /api/v1/sync/held (which ones). Nothing else:
 * no API, no web app, no sign-in. Bind it to a private address (HOST).
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
  // Which mailboxes this process syncs now (their ids), for an operator checking the balance.
  app.get('/api/v1/sync/held', async () => ({ holder: sync?.holder ?? null, mailboxIds: sync?.held() ?? [] }));
  return app;
}
