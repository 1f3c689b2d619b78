import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { presentUser } from '../../auth/presenters.ts';
import type { RouteContext } from '../context.ts';
import { localeSchema, nameSchema, userSchema } from '../schemas.ts';

export function meRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/me', {
    schema: { tags: ['auth'], response: { 200: z.object({ user: userSchema }) } },
  }, async (request) => ({ user: presentUser(requireUser(request)) }));

  app.patch('/api/v1/me', {
    schema: {
      tags: ['auth'],
      body: z.strictObject({ name: nameSchema.optional(), locale: localeSchema.nullable().optional() }),
      response: { 200: z.object({ user: userSchema }) },
    },
  }, async (request) => {
    const me = requireUser(request);
    const { name, locale } = request.body;
    const user = await db
      .updateTable('users')
      .set({ ...(name !== undefined && { name }), ...(locale !== undefined && { locale }), updated_at: new Date() })
      .where('id', '=', me.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { user: presentUser(user) };
  });
}
