import type { ResponseOf } from '../../api/schema-types.ts';

/** A fired reminder of an open task, as GET /api/v1/reminders and the `reminder.due` event carry it. */
export type ReminderList = ResponseOf<'/api/v1/reminders', 'get'>;
export type Reminder = ReminderList['items'][number];
export type ReminderLink = NonNullable<Reminder['contact']>;
