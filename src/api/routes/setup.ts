import { z } from 'zod';
import { setUpFirstAdmin, setupNeeded } from '../../auth/commands/setup.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, localeSchema, nameSchema, passwordSchema, problemResponses, userSchema } from '../schemas.ts';
import { setSessionCookies } from '../session-cookies.ts';

export function setupRoutes({ app, db, config }: RouteContext): void {
  app.get(
    '/api/v1/setup',
    {
      schema: { tags: ['auth'], response: { 200: z.object({ needed: z.boolean() }) } },
    },
    async () => ({ needed: await setupNeeded(db) }),
  );

  app.post(
    '/api/v1/setup',
    {
      schema: {
        tags: ['auth'],
        description: 'Creates the first admin while no user exists, and signs them in.',
        body: z.strictObject({ email: emailSchema, name: nameSchema, password: passwordSchema, locale: localeSchema.optional() }),
        response: { 201: z.object({ user: userSchema }), ...problemResponses(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const { user, session } = await setUpFirstAdmin(db, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      setSessionCookies(reply, session, config.secureCookies);
      return reply.code(201).send({ user });
    },
  );
}
