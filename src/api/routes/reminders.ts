import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { dismissReminder, listDueReminders, presentReminder, reminderSchema } from '../../crm/reminders/index.ts';
import type { RouteContext } from '../context.ts';
import { CrmError } from '../../crm/errors.ts';

const taskParam = z.strictObject({ taskId: z.uuid({ message: 'must be an id' }) });

/** The signed-in user's task reminders: what the bell in the web app's header shows. */
export function reminderRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/reminders', {
    schema: {
      tags: ['crm'],
      description: 'The signed-in user\'s fired reminders of open tasks they own and have not dismissed, newest first. '
        + '`total` counts them all; `items` holds the first `limit`. New ones also arrive live as `reminder.due` on /api/v1/events.',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
      response: { 200: z.object({ items: z.array(reminderSchema), total: z.number() }) },
    },
  }, async (request) => {
    const user = requireUser(request);
    const { rows, total } = await listDueReminders(db, user.id, request.query.limit);
    return { items: rows.map(presentReminder), total };
  });

  app.post('/api/v1/reminders/:taskId/dismiss', {
    schema: {
      tags: ['crm'],
      description: 'Takes a fired reminder out of the bell; the task stays open. Moving the task\'s reminderAt arms it again.',
      params: taskParam,
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const outcome = await dismissReminder(db, user.id, request.params.taskId, new Date());
    if (outcome === 'not_found') throw new CrmError('reminder_not_found', 'You have no reminder on this task.');
    if (outcome === 'not_due') throw new CrmError('reminder_not_due', 'This reminder has not fired yet.');
    return reply.code(204).send();
  });
}
