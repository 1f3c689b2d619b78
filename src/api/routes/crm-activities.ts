import { z } from 'zod';
import { changeActivity, createActivity } from '../../crm/activities/commands.ts';
import { activitySchema } from '../../crm/activities/presenter.ts';
import { activityRecord } from '../../crm/activities/record.ts';
import { activitySortFields } from '../../crm/activities/repository.ts';
import type { RouteContext } from '../context.ts';
import { booleanQuery } from '../query-schemas.ts';
import { crmRecordRoutes } from './crm-record-routes.ts';
import { isoDateTime, listQuery, optionalText, uuid } from './crm-schemas.ts';

const kind = z.enum(['note', 'task', 'call']);
const fields = {
  subject: optionalText(500),
  body: optionalText(50000),
  dueAt: isoDateTime.nullable().optional(),
  reminderAt: isoDateTime.nullable().optional(),
  doneAt: isoDateTime.nullable().optional(),
  callDurationSeconds: z
    .number()
    .int()
    .min(0)
    .max(86400 * 7)
    .nullable()
    .optional(),
  callDirection: z.enum(['inbound', 'outbound']).nullable().optional(),
  contactId: uuid.nullable().optional(),
  companyId: uuid.nullable().optional(),
  dealId: uuid.nullable().optional(),
  occurredAt: isoDateTime.optional(),
  ownerId: uuid.optional(),
};

export function crmActivityRoutes(context: RouteContext): void {
  crmRecordRoutes(context, {
    path: '/api/v1/activities',
    record: activityRecord,
    item: activitySchema,
    query: listQuery(activitySortFields, '-occurredAt', {
      kind: kind.optional(),
      contactId: uuid.optional(),
      companyId: uuid.optional(),
      dealId: uuid.optional(),
      ownerId: uuid.optional(),
      open: booleanQuery.optional(),
    }),
    create: { body: z.strictObject({ kind, ...fields }), run: createActivity },
    change: {
      description: 'Changes fields; mark a task done with `doneAt`, reopen it with `doneAt: null`.',
      body: z.strictObject(fields),
      run: changeActivity,
    },
  });
}
