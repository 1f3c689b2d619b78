import { type Watcher, type WatchFailureListener, watchFailure } from './types.ts';

/**
 * A watch of a server that cannot tell of changes itself: `poll` runs every `intervalMs`, never two at
 * once, until the watch is closed; the first poll that fails ends the watch through `onError`.
 */
export function pollingWatch(intervalMs: number, poll: () => Promise<void>, onError: WatchFailureListener, what: string): Watcher {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      poll().then(schedule, (err: unknown) => {
        if (stopped) return;
        stopped = true;
        onError(watchFailure(err, what));
      });
    }, intervalMs);
  };
  schedule();
  return {
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
