import { z } from 'zod';
import { isoOrNull, namedLink } from '../shared/presenter.ts';
import type { ReminderRow } from './repository.ts';

const link = z.object({ id: z.string(), name: z.string() }).nullable();

export const reminderSchema = z.object({
  taskId: z.string(),
  subject: z.string().nullable(),
  dueAt: z.string().nullable(),
  reminderAt: z.string(),
  /** When it fired: null only while it waits to be swept. */
  remindedAt: z.string().nullable(),
  contact: link,
  company: link,
  deal: link,
});

export type Reminder = z.infer<typeof reminderSchema>;

export function presentReminder(row: ReminderRow): Reminder {
  return {
    taskId: row.id,
    subject: row.subject,
    dueAt: isoOrNull(row.due_at),
    reminderAt: isoOrNull(row.reminder_at)!,
    remindedAt: isoOrNull(row.reminded_at),
    contact: namedLink(row.contact_id, row.contact_name),
    company: namedLink(row.company_id, row.company_name),
    deal: namedLink(row.deal_id, row.deal_name),
  };
}
