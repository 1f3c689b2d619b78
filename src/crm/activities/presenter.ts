import { z } from 'zod';
import { iso, isoOrNull, recordPresenter, recordSchema, storedFields } from '../shared/presenter.ts';
import type { ActivityRow } from './repository.ts';

export const activitySchema = recordSchema({
  kind: z.enum(['note', 'task', 'call']),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  dueAt: z.string().nullable(),
  reminderAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  callDurationSeconds: z.number().nullable(),
  callDirection: z.enum(['inbound', 'outbound']).nullable(),
  contactId: z.string().nullable(),
  companyId: z.string().nullable(),
  dealId: z.string().nullable(),
  occurredAt: z.string(),
});

export type ActivityView = z.infer<typeof activitySchema>;

export const presentActivity = recordPresenter(activitySchema, (row: ActivityRow) => ({
  ...storedFields(row, ['kind', 'subject', 'body', 'callDurationSeconds', 'callDirection', 'contactId', 'companyId', 'dealId']),
  dueAt: isoOrNull(row.due_at),
  reminderAt: isoOrNull(row.reminder_at),
  doneAt: isoOrNull(row.done_at),
  occurredAt: iso(row.occurred_at),
}));
