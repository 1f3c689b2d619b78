import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import type { EventBus } from '../../events/index.ts';
import type { BlobStore } from '../../ingest/index.ts';
import type { ConnectorFactory, SyncSupervisor } from '../../sync/index.ts';
import { listMessages, messageAttachments, messageFolders, readMessage } from '../../store/message-queries.ts';
import { messageDetailSchema } from '../../store/message-schemas.ts';
import { presentDetail, presentMessagePage } from '../../store/presenters.ts';
import { ownsMailbox } from '../../store/visibility.ts';
import { changeMessage, deleteMessage } from '../../sync/message-commands.ts';
import { ForbiddenError, NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { messageListQuery } from '../query-schemas.ts';
import { messagePageSchema } from './mail-schemas.ts';
import { bounceFacts } from '../../bounces/index.ts';
import { bounceSchema } from './outbox-schemas.ts';
import { uuidParam } from '../schemas.ts';

declare module '../context.ts' {
  interface AppServices {
    events: EventBus;
    blobs: BlobStore;
    /** Builds a connector for a mailbox: the sync engine's and the messages API's one way to a server. */
    connectorFor: ConnectorFactory;
    /** Null when TIDINGS_SYNC=off (tests, maintenance). */
    sync: SyncSupervisor | null;
  }
}

/** The list of a folder or a thread adds those two filters to every message list's. */
const listQuery = messageListQuery.extend({ folderId: z.uuid().optional(), threadId: z.uuid().optional() });
const patchBody = z
  .strictObject({ seen: z.boolean().optional(), flagged: z.boolean().optional(), folderId: z.uuid().optional() })
  .refine((b) => b.seen !== undefined || b.flagged !== undefined || b.folderId !== undefined, { message: 'nothing to change' });

/** A message read on its own also says whether it bounced, or which message it reports a bounce of. */
const messageReadSchema = messageDetailSchema.extend({
  bounces: z
    .array(bounceSchema)
    .describe('delivery failures and delays reported for this message; [] unless the reader sees the mailbox in full'),
  bounceOf: z
    .object({
      messageId: z.string().nullable().describe('the bounced message; null when it is not stored'),
      subject: z.string().nullable(),
      recipients: z.array(bounceSchema),
    })
    .nullable()
    .describe('this message is a delivery status notification: what it reports'),
});

/** Messages: list, read, and the two-way changes (flags, move, delete). */
export function messageRoutes({ app, db, services }: RouteContext): void {
  app.get(
    '/api/v1/messages',
    { schema: { tags: ['messages'], querystring: listQuery, response: { 200: messagePageSchema } } },
    async (request) => {
      const page = await listMessages(db, requireUser(request).id, request.query);
      return presentMessagePage(page);
    },
  );

  app.get(
    '/api/v1/messages/:id',
    { schema: { tags: ['messages'], params: uuidParam, response: { 200: messageReadSchema } } },
    async (request) => {
      const user = requireUser(request);
      const found = await readMessage(db, user.id, request.params.id);
      if (!found) throw new NotFoundError('message');
      const folders = (await messageFolders(db, found.row.id)).map((f) => ({ id: f.id, name: f.name, role: f.role }));
      const attachments = found.access === 'full' ? await messageAttachments(db, found.row.id) : [];
      return {
        ...presentDetail(found.row, found.access, folders, attachments),
        ...(await bounceFacts(db, user.id, found.row, found.access)),
      };
    },
  );

  const ownMessage = async (userId: string, id: string) => {
    const found = await readMessage(db, userId, id);
    if (!found) throw new NotFoundError('message');
    if (!(await ownsMailbox(db, userId, found.row.mailbox_id))) throw new ForbiddenError('Only the mailbox owner can change its mail.');
    return found.row;
  };
  const commandDeps = () => ({ db, connectorFor: services.connectorFor, events: services.events });

  app.patch(
    '/api/v1/messages/:id',
    {
      schema: {
        tags: ['messages'],
        description:
          'Changes flags or the folder, on the server first; a message moved out of every synced folder answers {id, deleted: true}.',
        params: uuidParam,
        body: patchBody,
        response: { 200: z.union([messageDetailSchema, z.object({ id: z.string(), deleted: z.literal(true) })]) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const row = await ownMessage(user.id, request.params.id);
      await changeMessage(commandDeps(), row.id, request.body);
      const found = await readMessage(db, user.id, row.id);
      if (!found) return { id: row.id, deleted: true as const };
      const folders = (await messageFolders(db, row.id)).map((f) => ({ id: f.id, name: f.name, role: f.role }));
      return presentDetail(found.row, found.access, folders, await messageAttachments(db, row.id));
    },
  );

  app.delete(
    '/api/v1/messages/:id',
    {
      schema: {
        tags: ['messages'],
        params: uuidParam,
        response: { 200: z.object({ id: z.string(), outcome: z.enum(['moved_to_trash', 'expunged']) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const row = await ownMessage(user.id, request.params.id);
      const outcome = await deleteMessage(commandDeps(), row.id);
      return { id: row.id, outcome };
    },
  );
}
