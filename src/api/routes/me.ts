import { z } from 'zod';
import { updateProfile } from '../../auth/commands/users.ts';
import { presentUser } from '../../auth/presenters.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { localeSchema, nameSchema, problemResponses, userSchema } from '../schemas.ts';

export function meRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/me',
    {
      schema: { tags: ['auth'], response: { 200: z.object({ user: userSchema }), ...problemResponses(401) } },
    },
    async (request) => ({ user: presentUser(requireUser(request)) }),
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        body: z.strictObject({ name: nameSchema.optional(), locale: localeSchema.nullable().optional() }),
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ user: await updateProfile(db, requireUser(request), request.body) }),
  );
}
