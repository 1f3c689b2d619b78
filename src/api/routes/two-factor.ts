import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { verifyPassword } from '../../auth/passwords.ts';
import { presentUser } from '../../auth/presenters.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { AuthError } from '../../auth/errors.ts';
import { checkTotp, newTotpSecret, totpUri } from '../../auth/two-factor.ts';
import type { RouteContext } from '../context.ts';
import { userSchema } from '../schemas.ts';

const codeSchema = z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app');

/** Two-factor sign-in with an authenticator app (TOTP). The key is kept in the vault like any other secret. */
export function twoFactorRoutes({ app, db, services }: RouteContext): void {
  app.post('/api/v1/me/two-factor/setup', {
    schema: { tags: ['auth'], description: 'Starts enrolment: returns a new key to scan. It takes effect once confirmed with a code.', response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }) } },
  }, async (request) => {
    const user = requireUser(request);
    const secret = newTotpSecret();
    await db.transaction().execute(async (trx) => {
      if (user.totp_pending) await services.vault.delete(trx, user.totp_pending);
      const id = await services.vault.put(trx, { ownerType: 'user', ownerId: user.id, kind: 'totp' }, secret);
      await trx.updateTable('users').set({ totp_pending: id }).where('id', '=', user.id).execute();
    });
    return { secret, otpauthUrl: totpUri(secret, user.email) };
  });

  app.post('/api/v1/me/two-factor/enable', {
    schema: { tags: ['auth'], body: z.strictObject({ code: codeSchema }), response: { 200: z.object({ user: userSchema }) } },
  }, async (request) => {
    const user = requireUser(request);
    if (!user.totp_pending) throw new AuthError('two_factor_not_started', 'Start two-factor setup first.');
    if (!(await checkTotp(await services.vault.reveal(user.totp_pending), request.body.code))) {
      throw new AuthError('two_factor_code_rejected', 'That code is not valid. Check the time on your phone and try the newest code.');
    }
    const updated = await db.transaction().execute(async (trx) => {
      if (user.totp_secret) await services.vault.delete(trx, user.totp_secret);
      const row = await trx.updateTable('users').set({ totp_secret: user.totp_pending, totp_pending: null }).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { actorUserId: user.id, action: 'auth.two_factor_enable', targetType: 'user', targetId: user.id, ip: request.ip });
      return row;
    });
    return { user: presentUser(updated) };
  });

  app.post('/api/v1/me/two-factor/disable', {
    schema: { tags: ['auth'], body: z.strictObject({ password: z.string().min(1).max(200) }), response: { 200: z.object({ user: userSchema }) } },
  }, async (request) => {
    const user = requireUser(request);
    if (!(await verifyPassword(user.password_hash, request.body.password))) throw new AuthError('wrong_password', 'The password is wrong.');
    const updated = await db.transaction().execute(async (trx) => {
      for (const id of [user.totp_secret, user.totp_pending]) if (id) await services.vault.delete(trx, id);
      const row = await trx.updateTable('users').set({ totp_secret: null, totp_pending: null }).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { actorUserId: user.id, action: 'auth.two_factor_disable', targetType: 'user', targetId: user.id, ip: request.ip });
      return row;
    });
    return { user: presentUser(updated) };
  });
}
