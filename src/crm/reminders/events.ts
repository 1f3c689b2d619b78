import type { Reminder } from './presenter.ts';

/** A task's reminder fired: for its owner only (the event stream sends it to that user alone). */
export interface ReminderDueEvent {
  userId: string;
  reminder: Reminder;
}

declare module '../../events/bus.ts' {
  interface EventMap {
    'reminder.due': ReminderDueEvent;
  }
}
