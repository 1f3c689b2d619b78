import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';

/** One year, the value browsers' preload lists ask for; sent only when the public address is https. */
export const HSTS = 'max-age=31536000';

/**
 * Headers every answer carries. API answers (JSON, problems, attachments, raw sources) are personal mail
 * and CRM data: `no-store` keeps them out of browser and proxy caches, unless a route chose its own.
 * A route that set its own Referrer-Policy (the message document: `no-referrer`) keeps it.
 */
export function installSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'baseUrl'>): void {
  const https = config.baseUrl?.startsWith('https:') ?? false;
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (https) reply.header('strict-transport-security', HSTS);
  });
}
