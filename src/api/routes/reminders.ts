import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { dismissDueReminder, readDueReminders, reminderSchema } from '../../crm/reminders/index.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { problems } from './crm-schemas.ts';

const taskParam = z.strictObject({ taskId: z.uuid({ message: 'must be an id' }) });

/** The signed-in user's task reminders: what the bell in the web app's header shows. */
export function reminderRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/reminders',
    {
      schema: {
        tags: ['crm'],
        description:
          "The signed-in user's fired reminders of open tasks they own and have not dismissed, newest first. " +
          '`total` counts them all; `items` holds the first `limit`. New ones also arrive live as `reminder.due` on /api/v1/events.',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
        response: { 200: z.object({ items: z.array(reminderSchema), total: z.number() }), ...problems(400, 401) },
      },
    },
    async (request) => readDueReminders(db, requireUser(request).id, request.query.limit),
  );

  noContentRoute(
    app,
    'POST',
    '/api/v1/reminders/:taskId/dismiss',
    'Dismissed; the task stays open.',
    {
      tags: ['crm'],
      description: "Takes a fired reminder out of the bell; the task stays open. Moving the task's reminderAt arms it again.",
      params: taskParam,
      response: problems(401, 404, 409),
    },
    (request) => dismissDueReminder(db, requireUser(request).id, request.params.taskId),
  );
}
