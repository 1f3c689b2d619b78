import { z } from 'zod';
import { disableTwoFactor, enableTwoFactor, startTwoFactor } from '../../auth/commands/two-factor.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { problemResponses, userSchema } from '../schemas.ts';

const codeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app');

/** Two-factor sign-in with an authenticator app (TOTP). The key is kept in the vault like any other secret. */
export function twoFactorRoutes({ app, db, services }: RouteContext): void {
  app.post(
    '/api/v1/me/two-factor/setup',
    {
      schema: {
        tags: ['auth'],
        description: 'Starts enrolment: returns a new key to scan. It takes effect once confirmed with a code.',
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }), ...problemResponses(401, 403) },
      },
    },
    async (request) => startTwoFactor(db, services.vault, requireUser(request)),
  );

  app.post(
    '/api/v1/me/two-factor/enable',
    {
      schema: {
        tags: ['auth'],
        body: z.strictObject({ code: codeSchema }),
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request) => ({ user: await enableTwoFactor(db, services.vault, requireUser(request), request.body.code, request.ip) }),
  );

  app.post(
    '/api/v1/me/two-factor/disable',
    {
      schema: {
        tags: ['auth'],
        body: z.strictObject({ password: z.string().min(1).max(200) }),
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request) => ({ user: await disableTwoFactor(db, services.vault, requireUser(request), request.body.password, request.ip) }),
  );
}
