import { isUniqueViolation, NotFoundError } from '../../kernel/index.ts';
import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { presentUser } from '../../auth/presenters.ts';
import { requireAdmin } from '../../auth/request-auth.ts';
import { AuthError } from '../../auth/errors.ts';

import { findUserById, insertUser, listUsers } from '../../auth/users.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, nameSchema, passwordSchema, roleSchema, userSchema, uuidParam } from '../schemas.ts';

export function userRoutes({ app, db, services }: RouteContext): void {
  app.get('/api/v1/users', {
    schema: { tags: ['users'], response: { 200: z.object({ items: z.array(userSchema) }) } },
  }, async (request) => {
    requireAdmin(request);
    return { items: (await listUsers(db)).map(presentUser) };
  });

  app.get('/api/v1/users/:id', {
    schema: { tags: ['users'], params: uuidParam, response: { 200: z.object({ user: userSchema }) } },
  }, async (request) => {
    requireAdmin(request);
    const user = await findUserById(db, request.params.id);
    if (!user) throw new NotFoundError('user');
    return { user: presentUser(user) };
  });

  app.post('/api/v1/users', {
    schema: {
      tags: ['users'],
      body: z.strictObject({ email: emailSchema, name: nameSchema, role: roleSchema, password: passwordSchema }),
      response: { 201: z.object({ user: userSchema }) },
    },
  }, async (request, reply) => {
    const admin = requireAdmin(request);
    try {
      const user = await insertUser(db, request.body);
      await recordAudit(db, { actorUserId: admin.id, action: 'user.create', targetType: 'user', targetId: user.id, detail: { role: user.role }, ip: request.ip });
      return reply.code(201).send({ user: presentUser(user) });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AuthError('email_taken', 'A user with this email already exists.');
      throw error;
    }
  });

  app.patch('/api/v1/users/:id', {
    schema: {
      tags: ['users'],
      description: 'Renames, changes role, deactivates/reactivates (active), resets the password or the two-factor key of a user.',
      params: uuidParam,
      body: z.strictObject({ name: nameSchema.optional(), role: roleSchema.optional(), active: z.boolean().optional(), password: passwordSchema.optional(), resetTwoFactor: z.literal(true).optional() }),
      response: { 200: z.object({ user: userSchema }) },
    },
  }, async (request) => {
    const admin = requireAdmin(request);
    const target = await findUserById(db, request.params.id);
    if (!target) throw new NotFoundError('user');
    const { name, role, active, password, resetTwoFactor } = request.body;
    if (target.id === admin.id && (active === false || role === 'member')) {
      throw new AuthError('cannot_demote_self', 'You cannot deactivate yourself or remove your own admin role.');
    }
    const user = await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set({
          ...(name !== undefined && { name }),
          ...(role !== undefined && { role }),
          ...(active !== undefined && { active }),
          ...(resetTwoFactor && { totp_secret: null, totp_pending: null }),
          ...(password !== undefined && { password_hash: await hashPassword(password), password_changed_at: new Date() }),
          updated_at: new Date(),
        })
        .where('id', '=', target.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (resetTwoFactor) for (const id of [target.totp_secret, target.totp_pending]) if (id) await services.vault.delete(trx, id);
      // Deactivation and a password reset end every session of that user at once.
      if (active === false || password !== undefined) await trx.deleteFrom('sessions').where('user_id', '=', target.id).execute();
      await recordAudit(trx, {
        actorUserId: admin.id, action: 'user.update', targetType: 'user', targetId: target.id, ip: request.ip,
        detail: { changed: Object.keys(request.body), ...(role !== undefined && { role }), ...(active !== undefined && { active }) },
      });
      return updated;
    });
    return { user: presentUser(user) };
  });
}

