import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RawServerDefault, RouteGenericInterface } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TypedApp } from './context.ts';
import { noContent } from './schemas.ts';

/** A request typed by its route's zod schema, as the handlers Fastify calls see it. */
type SchemaRequest<S extends FastifySchema> = FastifyRequest<RouteGenericInterface, RawServerDefault, IncomingMessage, S, ZodTypeProvider>;

/**
 * A route that answers 204, no body, once `run` is done. The 204 in the OpenAPI document (with `done`,
 * what it means) and the reply are said here together, so a route cannot declare one and send another.
 */
export function noContentRoute<S extends FastifySchema & { response?: Record<number, unknown> }>(
  app: TypedApp,
  method: 'DELETE' | 'POST',
  url: string,
  done: string,
  schema: S,
  run: (request: SchemaRequest<S>, reply: FastifyReply) => Promise<unknown>,
): void {
  // Typed by the caller's schema above; the handler itself needs only the untyped instance.
  const routeSchema: FastifySchema = { ...schema, response: { 204: noContent(done), ...schema.response } };
  (app as unknown as FastifyInstance).route({
    method,
    url,
    schema: routeSchema,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      await run(request as unknown as SchemaRequest<S>, reply);
      return reply.code(204).send(null);
    },
  });
}
