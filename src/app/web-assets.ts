import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../api/problem.ts';

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
export const webDist = path.join(webRoot, 'dist');

// The SPA needs inline styles (the component library injects them); scripts come only from us.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * Serves the built web app with a fallback to index.html for client-side routes, and answers unknown
 * /api paths with problem+json.
 */
export async function registerWebAssets(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
    }
  });
  const hasBuild = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (!url.startsWith('/api/') && (request.method === 'GET' || request.method === 'HEAD') && hasBuild && !path.extname(url)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, 404, 'not_found', `No route ${request.method} ${url}.`);
  });
}
