import { z } from 'zod';
import type { ActivityRow } from './repository.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const activitySchema = z.object({
  id: z.string(),
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
  ownerId: z.string(),
  occurredAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type ActivityView = z.infer<typeof activitySchema>;

export function presentActivity(row: ActivityRow): ActivityView {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    dueAt: iso(row.due_at),
    reminderAt: iso(row.reminder_at),
    doneAt: iso(row.done_at),
    callDurationSeconds: row.call_duration_seconds,
    callDirection: row.call_direction,
    contactId: row.contact_id,
    companyId: row.company_id,
    dealId: row.deal_id,
    ownerId: row.owner_user_id,
    occurredAt: iso(row.occurred_at)!,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
