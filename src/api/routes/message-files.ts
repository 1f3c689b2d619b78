import type { FastifyReply } from 'fastify';
import { requireUser } from '../../auth/request-auth.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { readAttachment, readMessage } from '../../store/message-queries.ts';
import type { RouteContext } from '../context.ts';
import { bytesRouteSchema } from './mail-schemas.ts';

// Types a browser would render or run if opened: always served as bytes.
const ACTIVE_TYPES =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript|application\/x-shockwave-flash)/i;
export function safeContentType(type: string): string {
  const clean = type.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(clean) || ACTIVE_TYPES.test(clean)) return 'application/octet-stream';
  return clean;
}
export function attachmentDisposition(filename: string | null): string {
  const name = (filename ?? 'attachment').replace(/[\r\n"\\/]/g, '_').slice(0, 200) || 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Sends bytes as a download that no browser renders or runs, and no cache keeps. */
function download(reply: FastifyReply, bytes: Buffer, contentType: string, filename: string | null) {
  return reply
    .headers({
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      // A user's mail: never kept in a browser's or a proxy's cache.
      'cache-control': 'private, no-store',
      'content-type': contentType,
      'content-disposition': attachmentDisposition(filename),
    })
    .send(bytes);
}

/** Bytes of a message: its raw source and its attachments, always downloaded, never rendered. */
export function messageFileRoutes({ app, db, services }: RouteContext): void {
  app.get(
    '/api/v1/messages/:id/raw',
    { schema: bytesRouteSchema('The message source as stored (message/rfc822), as a download.', 'message/rfc822') },
    async (request, reply) => {
      const found = await readMessage(db, requireUser(request).id, request.params.id);
      if (found?.access !== 'full') throw new NotFoundError('message');
      return download(reply, await services.blobs.get(found.row.raw_sha256), 'message/rfc822', `${found.row.id}.eml`);
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      schema: bytesRouteSchema(
        "An attachment's bytes as a download; types a browser would render are sent as application/octet-stream.",
        'application/octet-stream',
      ),
    },
    async (request, reply) => {
      const found = await readAttachment(db, requireUser(request).id, request.params.id);
      if (found?.access !== 'full') throw new NotFoundError('attachment');
      const { sha256, content_type, filename } = found.attachment;
      return download(reply, await services.blobs.get(sha256), safeContentType(content_type), filename);
    },
  );
}
