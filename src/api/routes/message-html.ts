import { sql } from 'kysely';
import sanitize from 'sanitize-html';
import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { listFolders } from '../../store/folders.ts';
import { listMessages, messageAttachments, readMessage } from '../../store/message-queries.ts';
import { presentSummary } from '../../store/presenters.ts';
import type { AttachmentRow } from '../../store/tables.ts';
import { readableMailboxes, type MailAccess } from '../../store/visibility.ts';
import type { RouteContext } from '../context.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { uuidParam } from '../schemas.ts';

/**
 * The mail reader's server side: a message's sanitised HTML as a document of its own (shown in a
 * sandboxed iframe), and the mailbox/folder tree of every mailbox the user may read.
 */

const htmlQuery = z.strictObject({ images: z.enum(['0', '1']).default('0') });
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const unifiedQuery = z.strictObject({
  mailboxId: z.uuid().optional(),
  unread: boolQuery.optional(),
  hasAttachments: boolQuery.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Messages whose every folder is Trash or Junk: mail the owner threw away. */
async function binnedIds(ctx: RouteContext, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await ctx.db
    .selectFrom('message_folders as mf')
    .innerJoin('mail_folders as f', 'f.id', 'mf.folder_id')
    .select(['mf.message_id', sql<boolean>`bool_and(coalesce(f.role in ('trash', 'junk'), false))`.as('binned')])
    .where('mf.message_id', 'in', ids)
    .groupBy('mf.message_id')
    .execute();
  return new Set(rows.filter((r) => r.binned).map((r) => r.message_id));
}

// Defence in depth: the stored HTML went through the ingest sanitiser already; this second pass with the
// same allowlist shape guards against a bug there or an older row, and is where images get their URLs.
const DISPLAY_TAGS = [
  'a', 'abbr', 'address', 'b', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
  'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike',
  'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];
const DROP_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'select', 'title', 'head', 'noscript', 'noembed', 'noframes', 'template', 'svg', 'math', 'object', 'iframe', 'frameset', 'applet', 'xml', 'button'];
const CELL_ATTRS = ['colspan', 'rowspan', 'nowrap', 'width', 'height', 'bgcolor', 'align', 'valign', 'abbr', 'scope'];
const ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'align', 'valign', 'dir', 'lang', 'title', 'bgcolor', 'width', 'height'],
  a: ['href', 'rel', 'target'],
  img: ['src', 'alt', 'width', 'height', 'border', 'data-remote-src'],
  font: ['face', 'size', 'color'],
  table: ['border', 'cellpadding', 'cellspacing', 'width', 'bgcolor', 'align', 'summary'],
  td: CELL_ATTRS,
  th: CELL_ATTRS,
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  ol: ['start', 'type'],
  ul: ['type'],
  li: ['value'],
  hr: ['size', 'noshade'],
};
const DATA_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;
const REMOTE = /^https?:\/\//i;
const ABSOLUTE_LINK = /^(?:https?:\/\/|mailto:|tel:)/i;

const normaliseCid = (cid: string) => cid.trim().replace(/^<|>$/g, '').toLowerCase();

export interface DisplayHtml {
  html: string;
  /** How many remote images are still blocked in `html`. */
  blockedImages: number;
}

/**
 * Prepares stored (sanitised) HTML for display: `cid:` images get the URL `cidUrls` has for them, remote images
 * get their `src` back only when `showImages`, links open in a new tab without an opener.
 */
export function displayHtml(stored: string, cidUrls: Map<string, string>, showImages: boolean): DisplayHtml {
  let blockedImages = 0;
  const html = sanitize(stored, {
    allowedTags: DISPLAY_TAGS,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    allowedAttributes: ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    // Styles were filtered property by property at ingest; re-parsing here would only lose some.
    parseStyleAttributes: false,
    transformTags: {
      a: (tagName, attribs) => {
        const { rel: _rel, target: _target, href, ...rest } = attribs;
        // A relative link in mail would resolve against this API; only absolute addresses are kept.
        const out: sanitize.Attributes = { ...rest, rel: 'noopener noreferrer', target: '_blank' };
        if (ABSOLUTE_LINK.test((href ?? '').trim())) out.href = (href ?? '').trim();
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const { src, ['data-remote-src']: remote, ...rest } = attribs;
        const url = (src ?? '').trim();
        if (/^cid:/i.test(url)) {
          const local = cidUrls.get(normaliseCid(url.slice(4)));
          return { tagName, attribs: local && DATA_IMAGE.test(local) ? { ...rest, src: local } : rest };
        }
        if (DATA_IMAGE.test(url)) return { tagName, attribs: { ...rest, src: url } };
        const remoteUrl = (remote ?? '').trim();
        if (REMOTE.test(remoteUrl)) {
          if (showImages) return { tagName, attribs: { ...rest, src: remoteUrl } };
          blockedImages++;
          return { tagName, attribs: { ...rest, 'data-remote-src': remoteUrl } };
        }
        return { tagName, attribs: rest };
      },
    },
  });
  return { html, blockedImages };
}

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

const INLINE_TYPES = /^image\/(?:png|jpe?g|gif|webp|bmp)$/i;
const INLINE_MAX = 2 * 1024 * 1024;
const INLINE_TOTAL = 8 * 1024 * 1024;

/**
 * `cid:` images as data: URLs. A frame sandboxed without allow-same-origin has an opaque origin, and the
 * browser sends no SameSite session cookie with its requests, so `/api/v1/attachments/:id` would answer
 * 401 there. Raster types only (SVG can carry script) and within a size budget; others show their alt text.
 */
export async function inlineImages(html: string, attachments: AttachmentRow[], read: (sha256: string) => Promise<Buffer>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const lower = html.toLowerCase();
  let budget = INLINE_TOTAL;
  for (const a of attachments) {
    if (!a.content_id || !INLINE_TYPES.test(a.content_type) || a.size > INLINE_MAX || a.size > budget) continue;
    const cid = normaliseCid(a.content_id);
    if (out.has(cid) || !lower.includes(`cid:${cid}`)) continue;
    budget -= a.size;
    out.set(cid, `data:${a.content_type.toLowerCase()};base64,${(await read(a.sha256)).toString('base64')}`);
  }
  return out;
}

export interface FolderNode {
  id: string;
  name: string;
  path: string;
  role: string | null;
  selected: boolean;
  unread: number;
  total: number;
}

async function foldersOf(ctx: RouteContext, mailboxId: string): Promise<FolderNode[]> {
  const { db } = ctx;
  const folders = (await listFolders(db, mailboxId)).filter((f) => !f.removed_at && f.selectable);
  if (!folders.length) return [];
  const counts = await db
    .selectFrom('message_folders as mf')
    .innerJoin('messages as m', 'm.id', 'mf.message_id')
    .select(['mf.folder_id', sql<string>`count(*)`.as('total'), sql<string>`count(*) filter (where not m.seen)`.as('unread')])
    .where('mf.folder_id', 'in', folders.map((f) => f.id))
    .groupBy('mf.folder_id')
    .execute();
  const byFolder = new Map(counts.map((c) => [c.folder_id, c]));
  return folders.map((f) => ({
    id: f.id, name: f.name, path: f.path, role: f.role, selected: f.selected,
    unread: Number(byFolder.get(f.id)?.unread ?? 0), total: Number(byFolder.get(f.id)?.total ?? 0),
  }));
}

export function messageHtmlRoutes(ctx: RouteContext): void {
  const { app, db, services } = ctx;

  app.get('/api/v1/messages/:id/html', {
    schema: { tags: ['messages'], description: 'The sanitised HTML body as a sandboxed document for an iframe; remote images only with images=1.', params: uuidParam, querystring: htmlQuery },
  }, async (request, reply) => {
    const user = requireUser(request);
    const found = await readMessage(db, user.id, request.params.id);
    if (!found || found.access !== 'full' || found.row.html_body === null) throw new NotFoundError('message');
    const cidUrls = await inlineImages(found.row.html_body, await messageAttachments(db, found.row.id), (sha) => services.blobs.get(sha));
    const showImages = request.query.images === '1';
    const { html } = displayHtml(found.row.html_body, cidUrls, showImages);
    return reply.headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': messageCsp(showImages),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, no-store',
      'cross-origin-resource-policy': 'same-origin',
    }).send(messageDocument(html));
  });

  app.get('/api/v1/mail/messages', {
    schema: { tags: ['messages'], description: 'The unified views (all mailboxes, one mailbox): like /api/v1/messages without mail that is only in Trash or Junk. A page may hold fewer than `limit` items; follow `nextCursor`.', querystring: unifiedQuery },
  }, async (request) => {
    const user = requireUser(request);
    const page = await listMessages(db, user.id, request.query);
    const binned = await binnedIds(ctx, page.items.map((i) => i.row.id));
    return { items: page.items.filter((i) => !binned.has(i.row.id)).map((i) => presentSummary(i.row, i.access)), nextCursor: page.nextCursor };
  });

  app.get('/api/v1/mailboxes/:id/folders', { schema: { tags: ['messages'], description: 'Folders of a mailbox the user may read, with unread and total counts.', params: uuidParam } }, async (request) => {
    const user = requireUser(request);
    const access = (await readableMailboxes(db, user.id, [request.params.id])).get(request.params.id);
    if (!access) throw new NotFoundError('mailbox');
    return { items: await foldersOf(ctx, request.params.id) };
  });

  app.get('/api/v1/mail/mailboxes', { schema: { tags: ['messages'], description: 'Every mailbox the user may read, with how much, and its folders: the mail reader\'s tree.' } }, async (request) => {
    const user = requireUser(request);
    const access = await readableMailboxes(db, user.id);
    if (!access.size) return { items: [] };
    const rows = await db.selectFrom('mailboxes').select(['id', 'email', 'display_name', 'owner_user_id']).where('id', 'in', [...access.keys()]).orderBy('email').execute();
    const items = await Promise.all(rows.map(async (r) => ({
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      access: access.get(r.id) as MailAccess,
      owned: r.owner_user_id === user.id,
      folders: await foldersOf(ctx, r.id),
    })));
    return { items };
  });
}
