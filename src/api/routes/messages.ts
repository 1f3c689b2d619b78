import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { eventStreamRoute } from '../../events/sse-route.ts';
import { listMessages, messageAttachments, messageFolders, readAttachment, readMessage } from '../../store/message-queries.ts';
import { presentDetail, presentSummary } from '../../store/presenters.ts';
import { mayManageMailbox } from '../../mailboxes/access.ts';
import { reactivateMailbox } from '../../mailboxes/mailbox-status.ts';
import { accessToMailbox, ownsMailbox } from '../../store/visibility.ts';
import { changeMessage, deleteMessage } from '../../sync/message-commands.ts';
import { SyncError } from '../../sync/errors.ts';
import { ForbiddenError, NotFoundError } from '../../kernel/index.ts';
import { mailboxSyncStatus } from '../../sync/supervisor.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const listQuery = z.strictObject({
  mailboxId: z.uuid().optional(),
  folderId: z.uuid().optional(),
  threadId: z.uuid().optional(),
  unread: boolQuery.optional(),
  hasAttachments: boolQuery.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const patchBody = z.strictObject({ seen: z.boolean().optional(), flagged: z.boolean().optional(), folderId: z.uuid().optional() })
  .refine((b) => b.seen !== undefined || b.flagged !== undefined || b.folderId !== undefined, { message: 'nothing to change' });

// Types a browser would render or run if opened: always served as bytes.
const ACTIVE_TYPES = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript|application\/x-shockwave-flash)/i;
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

/** Mail: list, read, raw, attachments, two-way changes, sync status and "Sync now", and the event stream. */
export function messageRoutes(ctx: RouteContext): void {
  const { app, db, services } = ctx;
  const headers = { 'x-content-type-options': 'nosniff', 'content-security-policy': "sandbox; default-src 'none'" };

  app.get('/api/v1/messages', { schema: { tags: ['messages'], querystring: listQuery } }, async (request) => {
    const user = requireUser(request);
    const page = await listMessages(db, user.id, request.query);
    return { items: page.items.map((i) => presentSummary(i.row, i.access)), nextCursor: page.nextCursor };
  });

  app.get('/api/v1/messages/:id', { schema: { tags: ['messages'], params: uuidParam } }, async (request) => {
    const user = requireUser(request);
    const found = await readMessage(db, user.id, request.params.id);
    if (!found) throw new NotFoundError('message');
    const folders = (await messageFolders(db, found.row.id)).map((f) => ({ id: f.id, name: f.name, role: f.role }));
    const attachments = found.access === 'full' ? await messageAttachments(db, found.row.id) : [];
    return presentDetail(found.row, found.access, folders, attachments);
  });

  app.get('/api/v1/messages/:id/raw', { schema: { tags: ['messages'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const found = await readMessage(db, user.id, request.params.id);
    if (!found || found.access !== 'full') throw new NotFoundError('message');
    const bytes = await services.blobs.get(found.row.raw_sha256);
    return reply.headers({ ...headers, 'content-type': 'message/rfc822', 'content-disposition': attachmentDisposition(`${found.row.id}.eml`) }).send(bytes);
  });

  app.get('/api/v1/attachments/:id', { schema: { tags: ['messages'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const found = await readAttachment(db, user.id, request.params.id);
    if (!found || found.access !== 'full') throw new NotFoundError('attachment');
    const bytes = await services.blobs.get(found.attachment.sha256);
    return reply.headers({ ...headers, 'content-type': safeContentType(found.attachment.content_type), 'content-disposition': attachmentDisposition(found.attachment.filename) }).send(bytes);
  });

  const ownMessage = async (userId: string, id: string) => {
    const found = await readMessage(db, userId, id);
    if (!found) throw new NotFoundError('message');
    if (!(await ownsMailbox(db, userId, found.row.mailbox_id))) throw new ForbiddenError('Only the mailbox owner can change its mail.');
    return found.row;
  };
  const commandDeps = () => ({ db, connectorFor: services.connectorFor, events: services.events });

  app.patch('/api/v1/messages/:id', { schema: { tags: ['messages'], params: uuidParam, body: patchBody } }, async (request) => {
    const user = requireUser(request);
    const row = await ownMessage(user.id, request.params.id);
    await changeMessage(commandDeps(), row.id, request.body);
    const found = await readMessage(db, user.id, row.id);
    if (!found) return { id: row.id, deleted: true };
    const folders = (await messageFolders(db, row.id)).map((f) => ({ id: f.id, name: f.name, role: f.role }));
    return presentDetail(found.row, found.access, folders, await messageAttachments(db, row.id));
  });

  app.delete('/api/v1/messages/:id', { schema: { tags: ['messages'], params: uuidParam } }, async (request) => {
    const user = requireUser(request);
    const row = await ownMessage(user.id, request.params.id);
    const outcome = await deleteMessage(commandDeps(), row.id);
    return { id: row.id, outcome };
  });

  app.get('/api/v1/mailboxes/:id/sync-status', { schema: { tags: ['sync'], params: uuidParam } }, async (request) => {
    const user = requireUser(request);
    // Those who manage a mailbox (owner, admins) see its sync state without reading its mail; so do readers.
    if (!(await mayManageMailbox(db, user, request.params.id)) && !(await accessToMailbox(db, user.id, request.params.id))) throw new NotFoundError('mailbox');
    return mailboxSyncStatus(services.sync, db, request.params.id);
  });

  app.post('/api/v1/mailboxes/:id/sync', { schema: { tags: ['sync'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    if (!(await mayManageMailbox(db, user, request.params.id))) {
      if (await accessToMailbox(db, user.id, request.params.id)) throw new ForbiddenError('Only the mailbox owner or an admin can start a sync.');
      throw new NotFoundError('mailbox');
    }
    // Out of needs_attention: the user says the problem is fixed; the runner tries again.
    await reactivateMailbox(db, request.params.id, ['needs_attention']);
    if (!services.sync) throw new SyncError('sync_disabled', 'Sync is switched off on this server (TIDINGS_SYNC=off).');
    await services.sync.syncNow(request.params.id);
    return reply.code(202).send({ accepted: true });
  });

  eventStreamRoute(ctx);
}
