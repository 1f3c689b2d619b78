import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../errors.ts';
import { presentReminder, type Reminder } from './presenter.ts';
import { dismissReminder, listDueReminders } from './repository.ts';

/** The user's fired, undismissed reminders: the first `limit`, and how many there are in all. */
export async function readDueReminders(db: Kysely<Database>, userId: string, limit: number): Promise<{ items: Reminder[]; total: number }> {
  const { rows, total } = await listDueReminders(db, userId, limit);
  return { items: rows.map(presentReminder), total };
}

/** Takes a fired reminder out of the user's bell; the task stays open. */
export async function dismissDueReminder(db: Kysely<Database>, userId: string, taskId: string, now = new Date()): Promise<void> {
  const outcome = await dismissReminder(db, userId, taskId, now);
  if (outcome === 'not_found') throw new CrmError('reminder_not_found', 'You have no reminder on this task.');
  if (outcome === 'not_due') throw new CrmError('reminder_not_due', 'This reminder has not fired yet.');
}
