import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { assertMaySeeSync, assertMayStartSync } from '../../mailboxes/access.ts';
import { syncReport } from '../../sync/sync-report.ts';
import { requestSync } from '../../sync/sync-now.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { syncReportSchema } from './mail-schemas.ts';

/** A mailbox's sync: its state and "Sync now". */
export function mailboxSyncRoutes({ app, db, services }: RouteContext): void {
  app.get(
    '/api/v1/mailboxes/:id/sync-status',
    {
      schema: {
        tags: ['sync'],
        description:
          "A mailbox's sync: state, import progress, lag, last success, the last failure with its fix, each folder's state and cursor, recent errors and the retry list. Screens re-read it on the mailbox.progress event.",
        params: uuidParam,
        response: { 200: syncReportSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await assertMaySeeSync(db, user, request.params.id);
      return syncReport(services.sync, db, request.params.id);
    },
  );

  app.post(
    '/api/v1/mailboxes/:id/sync',
    {
      schema: {
        tags: ['sync'],
        description: "Sync now: wakes the mailbox's runner, and takes it out of needs_attention.",
        params: uuidParam,
        response: { 202: z.object({ accepted: z.literal(true) }) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await assertMayStartSync(db, user, request.params.id);
      await requestSync(db, services.sync, request.params.id);
      return reply.code(202).send({ accepted: true });
    },
  );
}
