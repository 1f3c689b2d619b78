import { useCallback, useEffect, useRef, useState } from 'react';
import { EVENTS_URL, remindersApi } from './api.ts';
import type { Reminder, ReminderList } from './types.ts';

/** Reloads this often, so reminders fired by another Tidings process (whose events this page's stream does not carry) still show and pop up. */
const POLL_MS = 60_000;

/**
 * The signed-in user's due reminders: loaded at mount, live from the event stream, reloaded every minute,
 * when the tab is shown again and when the stream reconnects. `onArrive` is called once for each reminder
 * that fires while the page is open (not for those already due when it opened).
 */
export function useReminders(onArrive: (reminder: Reminder) => void) {
  const [list, setList] = useState<ReminderList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const arrive = useRef(onArrive);
  arrive.current = onArrive;
  /** Ids in the bell (or popped): a reminder not among them is news. */
  const known = useRef(new Set<string>());
  const loadedOnce = useRef(false);
  /** Reminders streamed while a load was in flight, which its answer may predate. */
  const streamedDuringLoad = useRef<Reminder[]>([]);

  const load = useCallback(async () => {
    streamedDuringLoad.current = [];
    try {
      const loaded = await remindersApi.list();
      const streamed = streamedDuringLoad.current.filter((r) => !loaded.items.some((i) => i.taskId === r.taskId));
      if (loadedOnce.current) for (const r of loaded.items) if (!known.current.has(r.taskId)) arrive.current(r);
      const items = [...streamed, ...loaded.items];
      known.current = new Set(items.map((r) => r.taskId));
      loadedOnce.current = true;
      setList({ items, total: loaded.total + streamed.length });
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);

  const receive = useCallback((reminder: Reminder) => {
    const isNew = !known.current.has(reminder.taskId);
    known.current.add(reminder.taskId);
    streamedDuringLoad.current.push(reminder);
    if (isNew) arrive.current(reminder);
    setList(
      (prev) =>
        prev && {
          items: [reminder, ...prev.items.filter((r) => r.taskId !== reminder.taskId)],
          total: prev.total + (isNew ? 1 : 0),
        },
    );
  }, []);

  useEffect(() => {
    void load();
    const source = new EventSource(EVENTS_URL, { withCredentials: true });
    const onDue = (e: MessageEvent<string>) => {
      try {
        const data = JSON.parse(e.data) as { reminder?: Reminder };
        if (data.reminder && typeof data.reminder.taskId === 'string') receive(data.reminder);
      } catch {
        // A malformed event is skipped; the next reload shows the reminder.
      }
    };
    source.addEventListener('reminder.due', onDue);
    // After a reconnect, whatever fired while the stream was down is in the list.
    source.onopen = () => {
      if (loadedOnce.current) void load();
    };
    const poll = setInterval(() => void load(), POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      source.removeEventListener('reminder.due', onDue);
      source.close();
      clearInterval(poll);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load, receive]);

  /** Runs `action` for a reminder and takes it out of the bell; on failure the list is reloaded. */
  const settle = useCallback(
    async (taskId: string, action: (taskId: string) => Promise<unknown>) => {
      setList((prev) => prev && { items: prev.items.filter((r) => r.taskId !== taskId), total: Math.max(0, prev.total - 1) });
      known.current.delete(taskId);
      try {
        await action(taskId);
        setError(null);
      } catch (err) {
        setError(err);
        await load();
      }
    },
    [load],
  );

  return {
    items: list?.items ?? [],
    total: list?.total ?? 0,
    loaded: list !== null,
    error,
    dismiss: (taskId: string) => settle(taskId, remindersApi.dismiss),
    markDone: (taskId: string) => settle(taskId, remindersApi.markDone),
  };
}
