import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { AppServices, RouteContext, TypedApp } from '../api/context.ts';
import { installInputHygiene } from '../api/input-hygiene.ts';
import { answerError, installProblemHandlers } from '../api/problem.ts';
import { routeModules } from '../api/routes/index.ts';
import { installRequestAuth } from '../auth/request-auth.ts';
import type { Database } from '../db/schema.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { version } from '../kernel/index.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { registerWebAssets } from './web-assets.ts';

/** JSON bodies above this are refused with 413; nothing we accept as JSON is anywhere near it. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface BuildAppOptions {
  config: Config;
  db: Kysely<Database>;
  log: Logger;
  services?: AppServices;
}

/** Builds the HTTP app without listening, so tests build exactly what production serves. */
export async function buildApp({ config, db, log, services = {} as AppServices }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: BODY_LIMIT_BYTES,
    // Forwarded headers are anyone's to write: believed only from the proxies the operator named.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // Requests carry ids in logs; bodies are never logged.
    requestIdHeader: false,
    frameworkErrors: answerError,
  }).withTypeProvider<ZodTypeProvider>() as unknown as TypedApp;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  installInputHygiene(app);
  installSecurityHeaders(app, config);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tidings API', version, description: 'Errors are application/problem+json with a stable `code`.' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'tidings_session' } },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  installRequestAuth(app, db);

  const ctx: RouteContext = { app, db, config, log, version, services };
  for (const register of routeModules) register(ctx);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerWebAssets(app);
  return app;
}
