import type { Kysely } from 'kysely';
import type { Logger } from '../../kernel/index.ts';
import type { Database } from '../../db/schema.ts';
import type { EventBus } from '../../events/index.ts';
import { nextReminderAt, sweepReminders } from './sweep.ts';

/** The longest a due reminder waits to fire; a reminder known to be due sooner is woken for. */
export const SWEEP_INTERVAL_MS = 10_000;
/** Never sooner than this after a sweep, so a burst of edits cannot spin the loop. */
const MIN_DELAY_MS = 250;

export interface ReminderSweeper {
  stop(): Promise<void>;
}

/**
 * Sweeps at start, then every SWEEP_INTERVAL_MS or when the next known reminder is due, whichever comes
 * first. Every Tidings process may run one against the same database: sweepReminders fires each reminder
 * once. A failed sweep is logged and retried at the next tick.
 */
export function startReminderSweeper({
  db,
  events,
  log,
  intervalMs = SWEEP_INTERVAL_MS,
}: {
  db: Kysely<Database>;
  events: EventBus;
  log: Logger;
  intervalMs?: number;
}): ReminderSweeper {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function tick(): Promise<void> {
    let delay = intervalMs;
    try {
      const fired = await sweepReminders(db, new Date(), events);
      if (fired.length) log.info({ count: fired.length }, 'task reminders fired');
      const next = await nextReminderAt(db);
      if (next) delay = Math.min(intervalMs, Math.max(MIN_DELAY_MS, next.getTime() - Date.now()));
    } catch (error) {
      if (!stopped) log.warn({ err: error }, 'task reminder sweep failed; trying again at the next tick');
    }
    if (stopped) return;
    timer = setTimeout(run, delay);
    timer.unref();
  }

  function run(): void {
    timer = null;
    running = tick().finally(() => {
      running = null;
    });
  }

  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
