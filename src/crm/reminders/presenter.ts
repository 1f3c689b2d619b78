import { z } from 'zod';
import type { ReminderRow } from './repository.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
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
    dueAt: iso(row.due_at),
    reminderAt: iso(row.reminder_at)!,
    remindedAt: iso(row.reminded_at),
    contact: row.contact_id && row.contact_name !== null ? { id: row.contact_id, name: row.contact_name } : null,
    company: row.company_id && row.company_name !== null ? { id: row.company_id, name: row.company_name } : null,
    deal: row.deal_id && row.deal_name !== null ? { id: row.deal_id, name: row.deal_name } : null,
  };
}
