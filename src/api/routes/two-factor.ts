import { z } from 'zod';
import { disableTwoFactor, enableTwoFactor, startTwoFactor } from '../../auth/commands/two-factor.ts';
import { isRecoveryCode } from '../../auth/recovery-codes.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { problemResponses, userSchema } from '../schemas.ts';

const codeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app');

const codeOrRecoverySchema = z
  .string()
  .trim()
  .max(20)
  .refine((v) => /^\d{6}$/.test(v) || isRecoveryCode(v), 'must be the 6-digit code from your authenticator app or a recovery code');

const passwordCheckSchema = z.string().min(1).max(200).describe('The current password, asked again.');

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
        description: 'Turns two-factor sign-in on: the current password again, and a code from the key returned by setup.',
        body: z.strictObject({ code: codeSchema, password: passwordCheckSchema }),
        response: {
          200: z.object({
            user: userSchema,
            recoveryCodes: z
              .array(z.string())
              .describe('Ten single-use codes, each signing in once instead of an authenticator code. Shown this once only.'),
          }),
          ...problemResponses(400, 401, 403, 409, 422, 429),
        },
      },
    },
    async (request) => enableTwoFactor(db, services.vault, requireUser(request), request.body, request.ip),
  );

  app.post(
    '/api/v1/me/two-factor/disable',
    {
      schema: {
        tags: ['auth'],
        description: 'Turns two-factor sign-in off: the current password again and, while it is on, a code not used before.',
        body: z.strictObject({ password: passwordCheckSchema, code: codeOrRecoverySchema.optional() }),
        response: { 200: z.object({ user: userSchema }), ...problemResponses(400, 401, 403, 422, 429) },
      },
    },
    async (request) => ({ user: await disableTwoFactor(db, services.vault, requireUser(request), request.body, request.ip) }),
  );
}
