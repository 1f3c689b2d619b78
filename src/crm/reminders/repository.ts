import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * An open task whose reminder has not fired: word for word the predicate of activities_reminder_idx
 * ('task' inline, not a parameter, so the planner can match the partial index in any plan).
 */
export function waitingToFire(eb: ExpressionBuilder<Database, 'activities'>) {
  return eb.and([
    eb('kind', '=', sql.lit('task')),
    eb('done_at', 'is', null),
    eb('reminder_at', 'is not', null),
    eb('reminded_at', 'is', null),
  ]);
}

/** A reminder with the names of what its task is about, for the bell and the live event. */
export function selectReminders(db: Db) {
  return db
    .selectFrom('activities as a')
    .leftJoin('contacts as c', 'c.id', 'a.contact_id')
    .leftJoin('companies as co', 'co.id', 'a.company_id')
    .leftJoin('deals as d', 'd.id', 'a.deal_id')
    .select([
      'a.id',
      'a.subject',
      'a.due_at',
      'a.reminder_at',
      'a.reminded_at',
      'a.owner_user_id',
      'a.contact_id',
      'a.company_id',
      'a.deal_id',
      'c.name as contact_name',
      'co.name as company_name',
      'd.name as deal_name',
    ]);
}

export type ReminderRow = Awaited<ReturnType<ReturnType<typeof selectReminders>['executeTakeFirstOrThrow']>>;

/** What the bell shows: the user's fired reminders of open tasks that they have not dismissed, newest first. */
export async function listDueReminders(db: Db, userId: string, limit: number): Promise<{ rows: ReminderRow[]; total: number }> {
  const mine = (query: ReturnType<typeof selectReminders>) =>
    query
      .where('a.owner_user_id', '=', userId)
      .where('a.kind', '=', 'task')
      .where('a.done_at', 'is', null)
      .where('a.reminded_at', 'is not', null)
      .where('a.reminder_dismissed_at', 'is', null);
  const [rows, count] = await Promise.all([
    mine(selectReminders(db)).orderBy('a.reminder_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute(),
    mine(selectReminders(db)).clearSelect().select(sql<string>`count(*)::text`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export type DismissOutcome = 'dismissed' | 'not_found' | 'not_due';

/**
 * Takes a fired reminder out of its owner's bell. Only the task's owner may: anyone else learns nothing
 * (not_found), as for a task that does not exist. Dismissing twice is harmless.
 */
export async function dismissReminder(db: Db, userId: string, taskId: string, now: Date): Promise<DismissOutcome> {
  const task = await db
    .selectFrom('activities')
    .select(['reminder_at', 'reminded_at'])
    .where('id', '=', taskId)
    .where('kind', '=', 'task')
    .where('owner_user_id', '=', userId)
    .executeTakeFirst();
  if (!task || task.reminder_at === null) return 'not_found';
  if (task.reminded_at === null) return 'not_due';
  await db
    .updateTable('activities')
    .set({ reminder_dismissed_at: sql<Date>`coalesce(reminder_dismissed_at, ${now})` })
    .where('id', '=', taskId)
    .where('owner_user_id', '=', userId)
    .execute();
  return 'dismissed';
}

/**
 * The columns an update of reminder_at must also set: a reminder moved to another time is armed again
 * (fires and shows anew); the same time sent again (a form saved unchanged) leaves it as it was.
 * The right-hand sides read the row as it was before the update, as SQL does.
 */
export function rearmIfMoved(reminderAt: Date | null) {
  const keepIfSame = (column: 'reminded_at' | 'reminder_dismissed_at') =>
    sql<Date | null>`case when reminder_at is not distinct from ${reminderAt}::timestamptz then ${sql.ref(column)} end`;
  return { reminded_at: keepIfSame('reminded_at'), reminder_dismissed_at: keepIfSame('reminder_dismissed_at') };
}
