export interface ReminderLink {
  id: string;
  name: string;
}

/** A fired reminder of an open task, as GET /api/v1/reminders and the `reminder.due` event carry it. */
export interface Reminder {
  taskId: string;
  subject: string | null;
  dueAt: string | null;
  reminderAt: string;
  remindedAt: string | null;
  contact: ReminderLink | null;
  company: ReminderLink | null;
  deal: ReminderLink | null;
}

export interface ReminderList {
  items: Reminder[];
  total: number;
}
