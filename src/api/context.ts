import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from '../app/config.ts';
import type { Logger } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression<RawServerDefault>,
  RawReplyDefaultExpression<RawServerDefault>,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Long-lived services, filled in by the composition root. A module that adds one declares it here by
 * interface merging (`declare module '../api/context.ts' { interface AppServices { vault: Vault } }`).
 */
// biome-ignore lint/suspicious/noEmptyInterface: modules add their services to it by interface merging.
export interface AppServices {}

/** What every route module receives. */
export interface RouteContext {
  app: TypedApp;
  db: Kysely<Database>;
  config: Config;
  log: Logger;
  version: string;
  services: AppServices;
}
