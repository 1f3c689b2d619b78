import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from './logger.ts';

/** How a worker of a leased work queue is run: its options, as the outbox and webhook workers take them. */
export interface LeasedWorkerOptions {
  log: Logger;
  /** Names this process on the rows it holds; default host:pid:random. */
  holder?: string;
  /** Looks for due rows this often besides the wake-ups (default 1 s). */
  pollMs?: number;
  /** Rows worked on at once by this worker (default 4). */
  concurrency?: number;
}

export interface ClaimLoopQueue<Row> {
  /** Takes up to `limit` due rows under a lease (FOR UPDATE SKIP LOCKED, so several processes share them). */
  claim(limit: number): Promise<Row[]>;
  attempt(row: Row): Promise<void>;
  /** The log line of an attempt that threw, with the row named (`{ outboxId: row.id }`, say). */
  attemptFailed(row: Row): [Record<string, unknown>, string];
  /** The log line when looking for due rows failed. */
  claimFailed: string;
  /**
   * Subscribes `wake` to whatever announces new rows (an event on the bus, from any process) while the loop
   * runs; returns the unsubscribe.
   */
  wakeOn?(wake: () => void): () => void;
}

/** The holder a worker writes on the rows it leases when its options name none. */
export function leaseHolder(opts: LeasedWorkerOptions): string {
  return opts.holder ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
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
export function claimLoop<Row>(worker: LeasedWorkerOptions, queue: ClaimLoopQueue<Row>): ClaimLoop {
  const { log } = worker;
  const concurrency = worker.concurrency ?? 4;
  const running = new Set<Promise<void>>();
  let stopped = true;
  let pumping = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  async function tick(): Promise<void> {
    const free = concurrency - running.size;
    if (free <= 0 || stopped) return;
    const rows = await queue.claim(free);
    for (const row of rows) {
      const p: Promise<void> = queue
        .attempt(row)
        .catch((err) => {
          const [fields, message] = queue.attemptFailed(row);
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
        log.warn({ err }, queue.claimFailed);
      } finally {
        pumping = false;
      }
    })();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = queue.wakeOn?.(pump) ?? null;
      timer = setInterval(pump, worker.pollMs ?? 1_000);
      pump();
    },
    wake: pump,
    async stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = null;
      if (timer) clearInterval(timer);
      while (pumping) await new Promise((r) => setTimeout(r, 10));
      await Promise.allSettled([...running]);
    },
  };
}
