/** Task reminders: the sweeper that fires them, the bell's list and dismissal. Routes: src/api/routes/reminders.ts. */
export { dismissDueReminder, readDueReminders } from './commands.ts';
export type { ReminderDueEvent } from './events.ts';
export { presentReminder, reminderSchema, type Reminder } from './presenter.ts';
export { dismissReminder, listDueReminders, rearmIfMoved, type DismissOutcome } from './repository.ts';
export { nextReminderAt, sweepReminders } from './sweep.ts';
export { startReminderSweeper, SWEEP_INTERVAL_MS, type ReminderSweeper } from './sweeper.ts';
