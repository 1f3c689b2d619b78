import { requireUser } from '../../auth/request-auth.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { readAttachment, readMessage } from '../../store/message-queries.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { bytesSchema } from './mail-schemas.ts';

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

/** Bytes of a message: its raw source and its attachments, always downloaded, never rendered. */
export function messageFileRoutes({ app, db, services }: RouteContext): void {
  const headers = {
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
    // A user's mail: never kept in a browser's or a proxy's cache.
    'cache-control': 'private, no-store',
  };

  app.get(
    '/api/v1/messages/:id/raw',
    {
      schema: {
        tags: ['messages'],
        description: 'The message source as stored (message/rfc822), as a download.',
        params: uuidParam,
        produces: ['message/rfc822'],
        response: { 200: bytesSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const found = await readMessage(db, user.id, request.params.id);
      if (found?.access !== 'full') throw new NotFoundError('message');
      const bytes = await services.blobs.get(found.row.raw_sha256);
      return reply
        .headers({ ...headers, 'content-type': 'message/rfc822', 'content-disposition': attachmentDisposition(`${found.row.id}.eml`) })
        .send(bytes);
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      schema: {
        tags: ['messages'],
        description: "An attachment's bytes as a download; types a browser would render are sent as application/octet-stream.",
        params: uuidParam,
        produces: ['application/octet-stream'],
        response: { 200: bytesSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const found = await readAttachment(db, user.id, request.params.id);
      if (found?.access !== 'full') throw new NotFoundError('attachment');
      const bytes = await services.blobs.get(found.attachment.sha256);
      return reply
        .headers({
          ...headers,
          'content-type': safeContentType(found.attachment.content_type),
          'content-disposition': attachmentDisposition(found.attachment.filename),
        })
        .send(bytes);
    },
  );
}
