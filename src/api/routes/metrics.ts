import { createHash, timingSafeEqual } from 'node:crypto';
import { createMetrics, MetricsTokenError } from '../../metrics/index.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics in Prometheus text format, for a scraper holding TIDINGS_METRICS_TOKEN. Without the
 * setting the route answers 404: the metrics name mailboxes and their volumes, so they are off until an
 * operator chooses who may read them.
 */
export function metricsRoutes({ app, db, config, services }: RouteContext): void {
  const token = config.metricsToken;
  const metrics = token
    ? createMetrics({
        db,
        sync: services.sync ?? null,
        pool: services.ingestPool ?? null,
        openStreams: () => services.eventStreams.size,
      })
    : null;

  if (metrics) {
    app.addHook('onResponse', async (request, reply) => {
      // The route's pattern (/api/v1/messages/:id), never the URL: ids in labels would grow without bound.
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!metrics || !token) throw new NotFoundError('route');
    const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    // Compared as digests so neither the length nor the content leaks through timing.
    if (!timingSafeEqual(digest(given), digest(token))) throw new MetricsTokenError();
    const body = await metrics.render();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(body);
  });
}
