import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { presentUser } from '../../auth/presenters.ts';
import { createSession } from '../../auth/sessions.ts';
import { countUsers, insertUser } from '../../auth/users.ts';
import { AuthError } from '../../auth/errors.ts';
import { emailSchema, localeSchema, nameSchema, passwordSchema, userSchema } from '../schemas.ts';
import { setSessionCookies } from '../session-cookies.ts';
import type { RouteContext } from '../context.ts';

export function setupRoutes({ app, db, config }: RouteContext): void {
  app.get('/api/v1/setup', {
    schema: { tags: ['auth'], response: { 200: z.object({ needed: z.boolean() }) } },
  }, async () => ({ needed: (await countUsers(db)) === 0 }));

  app.post('/api/v1/setup', {
    schema: {
      tags: ['auth'],
      description: 'Creates the first admin while no user exists, and signs them in.',
      body: z.strictObject({ email: emailSchema, name: nameSchema, password: passwordSchema, locale: localeSchema.optional() }),
      response: { 201: z.object({ user: userSchema }) },
    },
  }, async (request, reply) => {
    // The check and the insert share a transaction-scoped advisory lock so two racing setups cannot both win.
    const user = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(7120001)`.execute(trx);
      if ((await countUsers(trx)) > 0) throw new AuthError('setup_done', 'Tidings is already set up; sign in instead.');
      const created = await insertUser(trx, { ...request.body, role: 'admin' });
      await trx.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', created.id).execute();
      await recordAudit(trx, { actorUserId: created.id, action: 'setup.first_admin', targetType: 'user', targetId: created.id, ip: request.ip });
      return { ...created, last_login_at: new Date() };
    });
    const session = await createSession(db, user.id, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    setSessionCookies(reply, session, config.secureCookies);
    return reply.code(201).send({ user: presentUser(user) });
  });
}
