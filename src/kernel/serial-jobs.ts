import type { Logger } from './logger.ts';

const errorOf = (err: unknown) => ({ message: (err as Error).message, code: (err as { code?: string }).code });

/**
 * Work for the event bus's listeners (linker, bounce watcher), run one job at a time in arrival order so
 * a burst of imported mail queues instead of opening many connections. A failing job is logged and
 * skipped. `idle` waits until the queue stops moving (jobs may queue more jobs); after `stop` nothing new
 * is taken and `stop` resolves once what was queued is done.
 */
export function serialJobs(log: Logger, owner: string) {
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;
  const enqueue = (what: string, job: () => Promise<void>) => {
    if (stopped) return;
    tail = tail.then(job).catch((err: unknown) => log.warn({ err: errorOf(err), job: what }, `${owner} job failed`));
  };
  return {
    enqueue,
    /**
     * Ids announced one at a time (message.created) handled in passes of up to `perPass`, queued as one
     * job while ids wait; a failing pass is tried again id by id, so one bad message costs the others
     * nothing. Returns the function that announces an id.
     */
    batches(what: string, perPass: number, pass: (ids: string[]) => Promise<void>): (id: string) => void {
      const arrived: string[] = [];
      let drainQueued = false;
      const drain = async () => {
        drainQueued = false;
        while (arrived.length) {
          const ids = arrived.splice(0, perPass);
          try {
            await pass(ids);
          } catch (err) {
            log.warn({ err: errorOf(err), messages: ids.length }, `${owner}: a pass of ${what} failed; trying them one by one`);
            for (const id of ids)
              await pass([id]).catch((e: unknown) => log.warn({ err: errorOf(e), messageId: id }, `${owner} job failed`));
          }
        }
      };
      return (id) => {
        if (stopped) return;
        arrived.push(id);
        if (drainQueued) return;
        drainQueued = true;
        enqueue(what, drain);
      };
    },
    async idle(): Promise<void> {
      for (;;) {
        const seen = tail;
        await seen;
        if (seen === tail) return;
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      await tail;
    },
  };
}
