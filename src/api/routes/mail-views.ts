import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { readableMailboxTree } from '../../store/folder-tree.ts';
import { listMessages } from '../../store/message-queries.ts';
import { presentMessagePage } from '../../store/presenters.ts';
import type { RouteContext } from '../context.ts';
import { messageListQuery } from '../query-schemas.ts';
import { messagePageSchema, readableMailboxSchema } from './mail-schemas.ts';

/** The mail reader's views across folders: the unified list and the tree of readable mailboxes. */
export function mailViewRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/mail/messages',
    {
      schema: {
        tags: ['messages'],
        description: 'The unified views (all mailboxes, one mailbox): like /api/v1/messages without mail that is only in Trash or Junk.',
        querystring: messageListQuery,
        response: { 200: messagePageSchema },
      },
    },
    async (request) => {
      const page = await listMessages(db, requireUser(request).id, { ...request.query, withoutBinned: true });
      return presentMessagePage(page);
    },
  );

  app.get(
    '/api/v1/mail/mailboxes',
    {
      schema: {
        tags: ['messages'],
        description: "Every mailbox the user may read, with how much, and its folders: the mail reader's tree.",
        response: { 200: z.object({ items: z.array(readableMailboxSchema) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return { items: await readableMailboxTree(db, user.id) };
    },
  );
}
