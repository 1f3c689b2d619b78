import { api } from '../../api/client.ts';
import type { ReminderList } from './types.ts';

/** Typed calls for the reminder routes; a task is marked done through the activities route. */
export const remindersApi = {
  list: () => api.get<ReminderList>('/api/v1/reminders?limit=50'),
  dismiss: (taskId: string) => api.post<void>(`/api/v1/reminders/${encodeURIComponent(taskId)}/dismiss`),
  markDone: (taskId: string) =>
    api.patch<unknown>(`/api/v1/activities/${encodeURIComponent(taskId)}`, { doneAt: new Date().toISOString() }),
};

/** The server's event stream; `reminder.due` arrives there for the signed-in user's own tasks. */
export const EVENTS_URL = '/api/v1/events';
