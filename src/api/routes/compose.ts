import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { loadManageableMailbox } from '../../mailboxes/access.ts';
import { recipientSuggestions, senderMailboxes } from '../../outbox/address-book.ts';
import { localeOf } from '../../outbox/failure-explanations.ts';
import { composePrefill } from '../../outbox/prefill.ts';
import { listMailboxSenders, setMailboxSenders } from '../../outbox/senders.ts';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../request-actor.ts';
import { problemResponses, uuidParam } from '../schemas.ts';
import { composeDraftSchema, recipientSuggestionSchema, senderMailboxSchema } from './outbox-schemas.ts';

const sendersSchema = z.object({ userIds: z.array(z.string()) });

/** What the compose form opens with: the prefilled reply or forward, the From choices, address completion; who may send. */
export function composeRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/messages/:id/compose',
    {
      schema: {
        tags: ['outbox'],
        description:
          'A reply, reply all or forward prefilled from the message (nothing is saved): recipients, subject, the quoted original under the signature; a forward offers its attachments.',
        params: uuidParam,
        querystring: z.strictObject({ mode: z.enum(['reply', 'reply_all', 'forward']) }),
        response: { 200: composeDraftSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return composePrefill(db, user, request.params.id, request.query.mode, localeOf(user.locale));
    },
  );

  app.get(
    '/api/v1/compose/recipients',
    {
      schema: {
        tags: ['outbox'],
        description: 'Address-book completion: contacts whose name or address contains q (with company and bouncing), then colleagues.',
        querystring: z.strictObject({ q: z.string().trim().min(1).max(200) }),
        response: { 200: z.object({ items: z.array(recipientSuggestionSchema) }), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: await recipientSuggestions(db, request.query.q) };
    },
  );

  app.get(
    '/api/v1/compose/senders',
    {
      schema: {
        tags: ['outbox'],
        description: 'The mailboxes the caller may send from: whether each can send now (reason when not), its signature and limits.',
        response: { 200: z.object({ items: z.array(senderMailboxSchema) }), ...problemResponses(401) },
      },
    },
    async (request) => ({ items: await senderMailboxes(db, requireUser(request)) }),
  );

  app.get(
    '/api/v1/mailboxes/:id/senders',
    {
      schema: {
        tags: ['mailboxes'],
        description: 'Users the owner allows to send from the mailbox (the owner always may). Owner and admins.',
        params: uuidParam,
        response: { 200: sendersSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const mailbox = await loadManageableMailbox(db, requireUser(request), request.params.id);
      return { userIds: await listMailboxSenders(db, mailbox.id) };
    },
  );

  app.put(
    '/api/v1/mailboxes/:id/senders',
    {
      schema: {
        tags: ['mailboxes'],
        description: 'Replaces the list of users allowed to send from the mailbox. Owner and admins.',
        params: uuidParam,
        body: z.strictObject({ userIds: z.array(z.uuid()).max(500) }),
        response: { 200: sendersSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const mailbox = await loadManageableMailbox(db, actor.user, request.params.id);
      return { userIds: await setMailboxSenders(db, actor, mailbox, request.body.userIds) };
    },
  );
}
