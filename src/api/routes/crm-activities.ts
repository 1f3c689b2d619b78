import { z } from 'zod';
import { changeActivity, createActivity } from '../../crm/activities/commands.ts';
import { activitySchema } from '../../crm/activities/presenter.ts';
import { activityRecord } from '../../crm/activities/record.ts';
import { activitySortFields } from '../../crm/activities/repository.ts';
import type { RouteContext } from '../context.ts';
import { booleanQuery } from '../query-schemas.ts';
import { uuidParam } from '../schemas.ts';
import { actorOf } from '../request-actor.ts';
import { crmDeps, crmRecordRoutes } from './crm-record-routes.ts';
import { isoDateTime, listQuery, optionalText, uuid } from './crm-schemas.ts';

const one = z.object({ activity: activitySchema });
const fields = {
  subject: optionalText(500),
  body: optionalText(50000),
  dueAt: isoDateTime.nullable().optional(),
  reminderAt: isoDateTime.nullable().optional(),
  doneAt: isoDateTime.nullable().optional(),
  callDurationSeconds: z.number().int().min(0).max(86400 * 7).nullable().optional(),
  callDirection: z.enum(['inbound', 'outbound']).nullable().optional(),
  contactId: uuid.nullable().optional(),
  companyId: uuid.nullable().optional(),
  dealId: uuid.nullable().optional(),
  occurredAt: isoDateTime.optional(),
  ownerId: uuid.optional(),
};

export function crmActivityRoutes(context: RouteContext): void {
  const { app } = context;
  const deps = crmDeps(context);
  crmRecordRoutes(context, {
    path: '/api/v1/activities',
    key: 'activity',
    record: activityRecord,
    item: activitySchema,
    query: listQuery(activitySortFields, '-occurredAt', {
      kind: z.enum(['note', 'task', 'call']).optional(),
      contactId: uuid.optional(),
      companyId: uuid.optional(),
      dealId: uuid.optional(),
      ownerId: uuid.optional(),
      open: booleanQuery.optional(),
    }),
  });

  app.post('/api/v1/activities', {
    schema: { tags: ['crm'], body: z.strictObject({ kind: z.enum(['note', 'task', 'call']), ...fields }), response: { 201: one } },
  }, async (request, reply) => reply.code(201).send({ activity: await createActivity(deps, actorOf(request), request.body) }));

  app.patch('/api/v1/activities/:id', {
    schema: { tags: ['crm'], description: 'Changes fields; mark a task done with `doneAt`, reopen it with `doneAt: null`.', params: uuidParam, body: z.strictObject(fields), response: { 200: one } },
  }, async (request) => ({ activity: await changeActivity(deps, actorOf(request), request.params.id, request.body) }));
}
