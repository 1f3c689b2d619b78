import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { readableMailboxTree } from '../../store/folder-tree.ts';
import { listMessages } from '../../store/message-queries.ts';
import { presentSummary } from '../../store/presenters.ts';
import type { RouteContext } from '../context.ts';
import { booleanQuery } from '../query-schemas.ts';
import { messagePageSchema, readableMailboxSchema } from './mail-schemas.ts';

const unifiedQuery = z.strictObject({
  mailboxId: z.uuid().optional(),
  unread: booleanQuery.optional(),
  hasAttachments: booleanQuery.optional(),
  label: z.string().trim().min(1).max(200).optional().describe('only messages with this Gmail label (matched as `label:` in search)'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** The mail reader's views across folders: the unified list and the tree of readable mailboxes. */
export function mailViewRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/mail/messages',
    {
      schema: {
        tags: ['messages'],
        description: 'The unified views (all mailboxes, one mailbox): like /api/v1/messages without mail that is only in Trash or Junk.',
        querystring: unifiedQuery,
        response: { 200: messagePageSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const page = await listMessages(db, user.id, { ...request.query, withoutBinned: true });
      return { items: page.items.map((i) => presentSummary(i.row, i.access)), nextCursor: page.nextCursor };
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
