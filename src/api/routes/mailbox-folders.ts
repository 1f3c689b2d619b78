import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { folderTree } from '../../store/folder-tree.ts';
import { readableMailboxes } from '../../store/visibility.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { folderNodeSchema } from './mail-schemas.ts';

/** A readable mailbox's folders with their counts. */
export function mailboxFolderRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/mailboxes/:id/folders',
    {
      schema: {
        tags: ['messages'],
        description: 'Folders of a mailbox the user may read, with unread and total counts.',
        params: uuidParam,
        response: { 200: z.object({ items: z.array(folderNodeSchema) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const access = (await readableMailboxes(db, user.id, [request.params.id])).get(request.params.id);
      if (!access) throw new NotFoundError('mailbox');
      return { items: await folderTree(db, request.params.id) };
    },
  );
}
