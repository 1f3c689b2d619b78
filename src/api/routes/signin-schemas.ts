import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../../auth/request-auth.ts';
import type { TypedApp } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { problemResponses } from '../schemas.ts';

/**
 * What the sign-in routes share: texts in both UI languages, the guides for work done at a provider, and
 * the admin routes of per-provider settings (sign-in apps, organisation access).
 */
export const localTextSchema = z.object({ en: z.string(), 'zh-CN': z.string() });

/** Step-by-step instructions for what an admin does in the provider's console. */
export const providerGuideSchema = z.object({
  title: localTextSchema,
  steps: z.array(localTextSchema),
  notes: z.array(localTextSchema),
});

/** GET of what admins set up per provider (sign-in apps, organisation access), each with its guide. */
export function providerListRoute<S extends z.ZodType>(
  app: TypedApp,
  path: string,
  description: string,
  itemSchema: S,
  list: () => Promise<z.infer<S>[]>,
): void {
  app.get(
    path,
    {
      schema: { tags: ['signin'], description, response: { 200: z.object({ items: z.array(itemSchema) }), ...problemResponses(401, 403) } },
    },
    async (request) => {
      requireAdmin(request);
      return { items: await list() };
    },
  );
}

/** DELETE of what an admin set up for one provider (its sign-in app, its organisation access): 204 once gone. */
export function providerDeleteRoute<E extends z.ZodEnum>(
  app: TypedApp,
  path: string,
  providerSchema: E,
  removed: string,
  remove: (request: FastifyRequest, provider: z.infer<E>) => Promise<void>,
): void {
  noContentRoute(
    app,
    'DELETE',
    path,
    removed,
    { tags: ['signin'], params: z.strictObject({ provider: providerSchema }), response: problemResponses(401, 403) },
    (request) => remove(request, (request.params as { provider: z.infer<E> }).provider),
  );
}
