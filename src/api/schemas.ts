import { z } from 'zod';
import { roleSchema } from '../auth/input-schemas.ts';

export {
  emailSchema,
  localeSchema,
  nameSchema,
  passwordSchema,
  roleSchema,
  teamSchema,
  tokenExpiresAtSchema,
  tokenNameSchema,
  tokenScopeSchema,
} from '../auth/input-schemas.ts';

/** A moment in an answer, as Date.toISOString() writes it. */
export { timestampSchema } from '../kernel/index.ts';

export const uuidParam = z.strictObject({ id: z.uuid({ message: 'must be an id' }) });

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  active: z.boolean(),
  locale: z.string().nullable(),
  team: z.string().nullable(),
  twoFactorEnabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

/**
 * Every error answer (RFC 9457 problem+json). A domain error's `details` stand beside these fields as they
 * are (`errors` for field errors, `test` for a connection-test report), so the object is open.
 */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string().describe('Stable, snake_case: clients key their texts on it.'),
  detail: z.string().describe('For people; never holds a secret.'),
  errors: z
    .array(z.looseObject({ path: z.string(), message: z.string() }))
    .optional()
    .describe('Field errors; some carry more (a CSV row error adds row, column and code).'),
  retryAfterSeconds: z.number().optional().describe('With 429: also sent as the Retry-After header.'),
});

const problemMeaning = {
  400: 'The request is malformed or fails its schema (validation_failed, malformed_json...).',
  401: 'Not signed in, or the credentials are wrong.',
  403: 'Signed in but not allowed, or a cross-site request (csrf_failed).',
  404: 'The resource does not exist, or the caller may not see it.',
  409: 'The request conflicts with the current state.',
  413: 'The request body is larger than the limit.',
  415: 'The request body has a media type the route does not take.',
  422: 'The request is well-formed but breaks a rule.',
  429: 'Too many attempts; see Retry-After.',
  503: 'A service the request needs is switched off or unavailable.',
} as const;
export type ProblemStatus = keyof typeof problemMeaning;

type ProblemResponse = { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } };

/** The problem answers a route may give, for its response schema: `response: { 200: ..., ...problemResponses(401, 404) }`. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]): Record<S, ProblemResponse> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: problemMeaning[status], content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  ) as unknown as Record<S, ProblemResponse>;
}

/** The answer of a route that succeeds without a body. */
export const noContent = (description: string) => z.null().describe(description);
