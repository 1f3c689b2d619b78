import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { EventBus } from '../../events/index.ts';
import type { ReminderDueEvent } from './events.ts';
import { presentReminder } from './presenter.ts';
import { selectReminders, waitingToFire } from './repository.ts';

/** Reminders marked per statement; a sweep takes batches until none is left. */
const BATCH = 200;
const MAX_BATCHES = 50;

/**
 * Fires every reminder due at `now`: marks the tasks reminded, then publishes `reminder.due` to each
 * task's owner. The mark is one statement that locks the rows it takes and skips rows another sweep has
 * locked, and it re-checks `reminded_at is null` on the rows it gets, so two processes sweeping the same
 * database at once fire each reminder exactly once. Events go out after the mark committed; should this
 * process die in between, the reminder still shows in its owner's bell, it just does not pop up.
 */
export async function sweepReminders(db: Kysely<Database>, now: Date, events?: EventBus): Promise<ReminderDueEvent[]> {
  const fired: ReminderDueEvent[] = [];
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const marked = await db
      .updateTable('activities')
      .set({ reminded_at: now })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('activities')
          .select('id')
          .where(waitingToFire)
          .where('reminder_at', '<=', now)
          .orderBy('reminder_at')
          .limit(BATCH)
          .forUpdate()
          .skipLocked(),
      )
      .where('reminded_at', 'is', null)
      .returning('id')
      .execute();
    if (!marked.length) break;
    const rows = await selectReminders(db)
      .where(
        'a.id',
        'in',
        marked.map((m) => m.id),
      )
      .orderBy('a.reminder_at')
      .execute();
    const due = rows.map((row) => ({ userId: row.owner_user_id, reminder: presentReminder(row) }));
    for (const event of due) events?.emit('reminder.due', event);
    fired.push(...due);
    if (marked.length < BATCH) break;
  }
  return fired;
}

/** When the next reminder waiting to fire is due, if any: the sweeper wakes for it. */
export async function nextReminderAt(db: Kysely<Database>): Promise<Date | null> {
  const row = await db
    .selectFrom('activities')
    .select('reminder_at')
    .where(waitingToFire)
    .orderBy('reminder_at')
    .limit(1)
    .executeTakeFirst();
  return row?.reminder_at ? new Date(row.reminder_at) : null;
}
