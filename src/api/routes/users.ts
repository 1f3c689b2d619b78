import { z } from 'zod';
import { userActor } from '../../auth/commands/actor.ts';
import { createUser, updateUser } from '../../auth/commands/users.ts';
import { presentUser } from '../../auth/presenters.ts';
import { requireAdmin } from '../../auth/request-auth.ts';
import { findUserById, listUsers } from '../../auth/users.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, nameSchema, passwordSchema, problemResponses, roleSchema, teamSchema, userSchema, uuidParam } from '../schemas.ts';

export function userRoutes({ app, db, services }: RouteContext): void {
  app.get(
    '/api/v1/users',
    {
      schema: { tags: ['users'], response: { 200: z.object({ items: z.array(userSchema) }), ...problemResponses(401, 403) } },
    },
    async (request) => {
      requireAdmin(request);
      return { items: (await listUsers(db)).map(presentUser) };
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        params: uuidParam,
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireAdmin(request);
      const user = await findUserById(db, request.params.id);
      if (!user) throw new NotFoundError('user');
      return { user: presentUser(user) };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        body: z.strictObject({
          email: emailSchema,
          name: nameSchema,
          role: roleSchema,
          password: passwordSchema,
          team: teamSchema.optional(),
        }),
        response: { 201: z.object({ user: userSchema }), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = await createUser(db, request.body, userActor(requireAdmin(request).id, request.ip));
      return reply.code(201).send({ user });
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        description:
          'Renames, changes role or team, deactivates/reactivates (active), resets the password or the two-factor key of a user.',
        params: uuidParam,
        body: z.strictObject({
          name: nameSchema.optional(),
          role: roleSchema.optional(),
          team: teamSchema.optional().describe('The team (analytics filters group users by it); null leaves any team.'),
          active: z.boolean().optional(),
          password: passwordSchema.optional(),
          resetTwoFactor: z.literal(true).optional(),
        }),
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const user = await updateUser(db, services.vault, requireAdmin(request), request.params.id, request.body, request.ip);
      // Deactivation and a password reset ended the user's sessions: their open event streams end now too.
      if (request.body.active === false || request.body.password !== undefined) {
        services.events.emit('user.signed_out', { signedOutUserId: request.params.id });
      }
      return { user };
    },
  );
}
