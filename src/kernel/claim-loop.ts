import type { Logger } from './logger.ts';

export interface ClaimLoopOptions<Row> {
  /** Attempts at once. */
  concurrency: number;
  /** How often to look for due rows when nobody wakes the loop. */
  pollMs: number;
  /** Takes up to `limit` due rows under a lease (FOR UPDATE SKIP LOCKED, so several processes share them). */
  claim(limit: number): Promise<Row[]>;
  attempt(row: Row): Promise<void>;
  log: Logger;
  /** The log line of an attempt that threw, with the row named (`{ outboxId: row.id }`, say). */
  attemptFailed(row: Row): [Record<string, unknown>, string];
  /** The log line when looking for due rows failed. */
  claimFailed: string;
}

export interface ClaimLoop {
  start(): void;
  /** Look for due rows now (a new row was queued), not at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the attempts running. */
  stop(): Promise<void>;
}

/**
 * The loop of a leased work queue (the outbox, webhook deliveries): claims as many due rows as there are
 * free slots, runs each attempt, and claims again as soon as a slot frees or someone wakes it. Wakes that
 * come while a claim is running are remembered, so a row queued meanwhile waits for no poll.
 */
export function claimLoop<Row>(opts: ClaimLoopOptions<Row>): ClaimLoop {
  const { concurrency, log } = opts;
  const running = new Set<Promise<void>>();
  let stopped = true;
  let pumping = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  async function tick(): Promise<void> {
    const free = concurrency - running.size;
    if (free <= 0 || stopped) return;
    const rows = await opts.claim(free);
    for (const row of rows) {
      const p: Promise<void> = opts
        .attempt(row)
        .catch((err) => {
          const [fields, message] = opts.attemptFailed(row);
          log.error({ err, ...fields }, message);
        })
        .finally(() => {
          running.delete(p);
          if (!stopped) pump();
        });
      running.add(p);
    }
    if (rows.length === free) again = true;
  }

  function pump(): void {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    void (async () => {
      try {
        do {
          again = false;
          await tick();
        } while (again && !stopped && running.size < concurrency);
      } catch (err) {
        log.warn({ err }, opts.claimFailed);
      } finally {
        pumping = false;
      }
    })();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(pump, opts.pollMs);
      pump();
    },
    wake: pump,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      while (pumping) await new Promise((r) => setTimeout(r, 10));
      await Promise.allSettled([...running]);
    },
  };
}
