import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { decoy, verifyPassword } from '../../auth/passwords.ts';
import { presentUser } from '../../auth/presenters.ts';
import { createSession, deleteSession } from '../../auth/sessions.ts';
import { checkLoginThrottle, clearAccountFailures, recordLoginFailure } from '../../auth/throttle.ts';
import { checkTotp } from '../../auth/two-factor.ts';
import { findUserByEmail } from '../../auth/users.ts';
import { AuthError } from '../../auth/errors.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, userSchema } from '../schemas.ts';
import { clearSessionCookies, setSessionCookies } from '../session-cookies.ts';

export function authRoutes({ app, db, config, services }: RouteContext): void {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'],
      body: z.strictObject({ email: emailSchema, password: z.string().min(1).max(200), totp: z.string().trim().max(10).optional() }),
      response: { 200: z.object({ user: userSchema }) },
    },
  }, async (request, reply) => {
    const { email, password } = request.body;
    const verdict = await checkLoginThrottle(db, email, request.ip);
    if (verdict.blocked) {
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      throw new AuthError('too_many_attempts',
        verdict.scope === 'account'
          ? `Too many failed sign-ins for this account. Try again in ${minutes} minute(s), or ask an admin to reset the password.`
          : `Too many failed sign-ins from your network address. Try again in ${minutes} minute(s).`,
        { retryAfterSeconds: verdict.retryAfterSeconds });
    }
    const user = await findUserByEmail(db, email);
    const ok = await verifyPassword(user?.password_hash ?? (await decoy()), password);
    if (!user || !ok) {
      await recordLoginFailure(db, email, request.ip);
      throw new AuthError('invalid_credentials', 'The email or password is wrong.');
    }
    if (!user.active) throw new AuthError('account_deactivated', 'This account has been deactivated. Ask an admin to reactivate it.');
    if (user.totp_secret) {
      const code = request.body.totp;
      if (!code) throw new AuthError('totp_required', 'Enter the 6-digit code from your authenticator app.');
      if (!(await checkTotp(await services.vault.reveal(user.totp_secret), code))) {
        await recordLoginFailure(db, email, request.ip);
        throw new AuthError('totp_invalid', 'That code is not valid. Try the newest code from your authenticator app.');
      }
    }
    await clearAccountFailures(db, email);
    const session = await createSession(db, user.id, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    const updated = await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(db, { actorUserId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, ip: request.ip });
    setSessionCookies(reply, session, config.secureCookies);
    return { user: presentUser(updated) };
  });

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    if (request.auth?.sessionId) await deleteSession(db, request.auth.sessionId);
    clearSessionCookies(reply);
    return reply.code(204).send();
  });
}
