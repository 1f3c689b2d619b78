import type { FastifyError, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { createOutbox, deleteOutbox, loadOwnOutbox, queueOutbox, undoOutbox, updateDraft, type OutboxDeps } from '../../outbox/compose.ts';
import { localeOf } from '../../outbox/failure-explanations.ts';
import { presentOutbox } from '../../outbox/presenter.ts';
import { listOutbox } from '../../outbox/queries.ts';
import { createUpload, UPLOAD_LIMIT_BYTES, uploadContentType, uploadFilename, uploadTooLarge } from '../../outbox/uploads.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { answerError } from '../problem.ts';
import { pageQuery } from '../query-schemas.ts';
import { actorOf } from '../request-actor.ts';
import { problemResponses, uuidParam } from '../schemas.ts';
import { composeInputSchema, outboxItemSchema, outboxPageSchema, outboxStateSchema, uploadSchema } from './outbox-schemas.ts';

const sendBody = z.strictObject({
  sendAt: z.iso.datetime({ offset: true }).nullable().optional(),
  undoSeconds: z.number().int().min(0).max(60).optional(),
});
const listQuery = z.strictObject({ state: outboxStateSchema.optional(), ...pageQuery(100).shape });
/** PATCH: any compose field, absent ones kept (no defaults); `send` and its timing belong to POST /outbox/:id/send. */
const compose = composeInputSchema.shape;
const patchBody = z.strictObject({
  mailboxId: compose.mailboxId.optional(),
  kind: compose.kind.unwrap().optional(),
  sourceMessageId: compose.sourceMessageId,
  record: compose.record,
  templateId: compose.templateId,
  to: compose.to.unwrap().optional(),
  cc: compose.cc.unwrap().optional(),
  bcc: compose.bcc.unwrap().optional(),
  subject: compose.subject.unwrap().optional(),
  html: compose.html.unwrap().optional(),
  attachments: compose.attachments.unwrap().optional(),
});

/** The outbox: drafts (autosaved), queueing with undo and scheduling, cancelling, and the files attached. */
export function outboxRoutes({ app, db, services }: RouteContext): void {
  const deps = (): OutboxDeps => ({ db, blobs: services.blobs, events: services.events });
  const present = (row: Parameters<typeof presentOutbox>[0], locale: string | null) => presentOutbox(row, localeOf(locale));
  /** Runs an outbox command as the caller and presents the row it answers in the caller's language. */
  const asCaller = async (request: FastifyRequest, command: (actor: Actor) => Promise<Parameters<typeof presentOutbox>[0]>) => {
    const actor = actorOf(request);
    return present(await command(actor), actor.user.locale);
  };

  app.post(
    '/api/v1/outbox',
    {
      schema: {
        tags: ['outbox'],
        description:
          '`send: false` saves a draft; `send: true` checks, builds and queues it (sent after the undo window, or at sendAt). The Message-ID is minted here.',
        body: composeInputSchema,
        response: { 201: outboxItemSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const row = await createOutbox(deps(), actor, request.body);
      return reply.code(201).send(present(row, actor.user.locale));
    },
  );

  app.get(
    '/api/v1/outbox',
    {
      schema: {
        tags: ['outbox'],
        description: "The caller's own outbox, newest change first (cancelled messages only with state=cancelled).",
        querystring: listQuery,
        response: { 200: outboxPageSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const page = await listOutbox(db, user, request.query);
      return { items: page.items.map((r) => present(r, user.locale)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/outbox/:id',
    { schema: { tags: ['outbox'], params: uuidParam, response: { 200: outboxItemSchema, ...problemResponses(401, 404) } } },
    async (request) => {
      const user = requireUser(request);
      return present(await loadOwnOutbox(db, user, request.params.id), user.locale);
    },
  );

  app.patch(
    '/api/v1/outbox/:id',
    {
      schema: {
        tags: ['outbox'],
        description: 'Autosave of a draft; a failed message edited becomes a draft again. Anything else: outbox_state_conflict.',
        params: uuidParam,
        body: patchBody,
        response: { 200: outboxItemSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => asCaller(request, (actor) => updateDraft(deps(), actor, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/outbox/:id/send',
    {
      schema: {
        tags: ['outbox'],
        description: 'Queues a draft or a failed message: sent after undoSeconds (default 10), or at sendAt.',
        params: uuidParam,
        body: sendBody,
        response: { 200: outboxItemSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    (request) => asCaller(request, (actor) => queueOutbox(deps(), actor, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/outbox/:id/undo',
    {
      schema: {
        tags: ['outbox'],
        description: 'A queued message no sender has taken yet goes back to being a draft; else outbox_state_conflict.',
        params: uuidParam,
        response: { 200: outboxItemSchema, ...problemResponses(401, 404, 409) },
      },
    },
    (request) => asCaller(request, (actor) => undoOutbox(deps(), actor, request.params.id)),
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/outbox/:id',
    'Removed or cancelled.',
    {
      tags: ['outbox'],
      description: 'A draft is removed; a queued (not yet taken) or failed message is cancelled.',
      params: uuidParam,
      response: problemResponses(401, 404, 409),
    },
    (request) => deleteOutbox(deps(), actorOf(request), request.params.id),
  );

  // Its own scope: any media type is taken as the file's bytes, up to the upload limit.
  app.register(async (scope) => {
    const child = scope.withTypeProvider<ZodTypeProvider>();
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT_BYTES }, (_request, body, done) => done(null, body));
    child.setErrorHandler((error: FastifyError, request, reply) =>
      answerError(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? (uploadTooLarge() as unknown as FastifyError) : error, request, reply),
    );
    child.post(
      '/api/v1/outbox/uploads',
      {
        bodyLimit: UPLOAD_LIMIT_BYTES,
        schema: {
          tags: ['outbox'],
          description:
            "A file to attach: the raw bytes as the body (Content-Type: the file's type), its name percent-encoded in X-Filename. Only the uploader may attach it.",
          response: { 201: uploadSchema, ...problemResponses(400, 401, 403, 413) },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const header = request.headers['x-filename'];
        const row = await createUpload(deps(), actor, {
          filename: uploadFilename(Array.isArray(header) ? header[0] : header),
          contentType: uploadContentType(request.headers['content-type']),
          bytes,
        });
        return reply.code(201).send({ id: row.id, filename: row.filename, contentType: row.content_type, size: row.size });
      },
    );
  });
}
