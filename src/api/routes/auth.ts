import { z } from 'zod';
import { signIn } from '../../auth/commands/sign-in.ts';
import { deleteSession } from '../../auth/sessions.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { emailSchema, problemResponses, userSchema } from '../schemas.ts';
import { clearSessionCookies, setSessionCookies } from '../session-cookies.ts';

export function authRoutes({ app, db, config, services }: RouteContext): void {
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        body: z.strictObject({
          email: emailSchema,
          password: z.string().min(1).max(200),
          totp: z.string().trim().max(20).optional().describe('A 6-digit authenticator code, or a recovery code.'),
        }),
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { user, session } = await signIn(db, services.vault, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      setSessionCookies(reply, session, config.secureCookies);
      return { user };
    },
  );

  noContentRoute(
    app,
    'POST',
    '/api/v1/auth/logout',
    'Signed out: the session ends and its cookies are cleared.',
    {
      tags: ['auth'],
      response: problemResponses(403),
    },
    async (request, reply) => {
      if (request.auth?.sessionId) {
        await deleteSession(db, request.auth.sessionId);
        services.events.emit('session.ended', { sessionId: request.auth.sessionId });
      }
      clearSessionCookies(reply);
    },
  );
}
