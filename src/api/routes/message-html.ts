import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { displayHtml } from '../../ingest/index.ts';
import { inlineImages } from '../../store/inline-images.ts';
import { messageAttachments, readMessage } from '../../store/message-queries.ts';
import type { RouteContext } from '../context.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { bytesRouteSchema } from './mail-schemas.ts';

/** A message's sanitised HTML as a document of its own, shown in a sandboxed iframe. */
const htmlQuery = z.strictObject({ images: z.enum(['0', '1']).default('0') });
/**
 * The CSP of a message document: no scripts, no forms, no plugins, no frames, nothing from the network
 * but our own attachment URLs (and remote images once the reader asks for them). `sandbox` also holds when
 * someone opens the URL in a tab of its own; popups stay allowed so links open in a new tab.
 */
export function messageCsp(showImages: boolean): string {
  return [
    "default-src 'none'",
    `img-src data:${showImages ? ' https: http:' : ''}`,
    "style-src 'unsafe-inline'",
    "font-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
    'sandbox allow-popups allow-popups-to-escape-sandbox',
  ].join('; ');
}

export function messageDocument(body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<style>
html{color-scheme:light}
body{margin:0;padding:4px 2px;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#212529;overflow-wrap:anywhere}
img{max-width:100%;height:auto}
table{max-width:100%}
pre{white-space:pre-wrap}
blockquote{margin:0 0 0 8px;padding-left:10px;border-left:3px solid #dee2e6;color:#495057}
a{color:#1c7ed6}
</style></head><body>${body}</body></html>`;
}

export function messageHtmlRoutes({ app, db, services }: RouteContext): void {
  app.get(
    '/api/v1/messages/:id/html',
    {
      schema: {
        ...bytesRouteSchema(
          'The sanitised HTML body as a sandboxed document for an iframe; remote images only with images=1.',
          'text/html',
        ),
        querystring: htmlQuery,
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const found = await readMessage(db, user.id, request.params.id);
      if (found?.access !== 'full' || found.row.html_body === null) throw new NotFoundError('message');
      const cidUrls = await inlineImages(found.row.html_body, await messageAttachments(db, found.row.id), (sha) => services.blobs.get(sha));
      const showImages = request.query.images === '1';
      const { html } = displayHtml(found.row.html_body, cidUrls, showImages, found.row.html_prepared);
      return reply
        .headers({
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': messageCsp(showImages),
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'private, no-store',
          'cross-origin-resource-policy': 'same-origin',
        })
        .send(messageDocument(html));
    },
  );
}
