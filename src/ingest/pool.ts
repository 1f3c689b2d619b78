import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { IngestError } from './errors.ts';
import { failedParse } from './parse-message.ts';
import type { FromWorker, ToWorker } from './parse-worker.ts';
import type { ParseResult } from './types.ts';

export interface IngestPool {
  /** Parses in a worker thread. Resolves with a parseError record if the worker crashes or times out. */
  parse(raw: Buffer): Promise<ParseResult>;
  /** Rejects queued jobs (INGEST_POOL_CLOSED), waits for running ones, terminates the workers. */
  close(): Promise<void>;
  /** Live worker threads, jobs waiting for one, and jobs accepted but not yet settled. */
  stats(): { workers: number; queued: number; pending: number };
}

export interface IngestPoolOptions {
  /** Worker threads; default os.availableParallelism(). */
  size?: number;
  /** Jobs waiting for a worker before parse() rejects with INGEST_QUEUE_FULL; default 2048. */
  maxQueue?: number;
  /** Per-message limit; past it the worker is replaced and the message gets a parseError. Default 20 s. */
  timeoutMs?: number;
  /** Test only: honours X-Tidings-Test-Hook: crash|hang at the start of a message. */
  unsafeTestHooks?: boolean;
}

interface Job {
  id: number;
  raw: Buffer;
  resolve: (r: ParseResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  lastError: Error | null;
}

// Workers run our .ts source through tsx. `execArgv: ['--import', 'tsx']` does not work on Node 20:
// the worker's entry module is resolved before the loader's hooks are in place (ERR_UNKNOWN_FILE_
// EXTENSION). So a tiny eval'd bootstrap registers tsx's ESM hooks first and then imports the worker.
// The tsx path is resolved here so the worker does not depend on the process's cwd.
// (The path is the "import" target of tsx's "./esm/api" export; its CommonJS twin cannot register ESM hooks.)
const TSX_API = pathToFileURL(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;
const WORKER_URL = new URL('./parse-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)})
  .then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(WORKER_URL)}); })
  .catch((err) => { console.error('parse worker failed to start', err); process.exit(1); });`;
// A worker that dies before it is ready this many times in a row means the pool cannot work at all.
const MAX_STARTUP_FAILURES = 3;

export function createIngestPool(opts: IngestPoolOptions = {}): IngestPool {
  const size = Math.max(1, opts.size ?? os.availableParallelism());
  const maxQueue = opts.maxQueue ?? 2048;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  const running = new Set<Job>();
  let nextId = 1;
  let closed = false;
  let broken: IngestError | null = null;
  let startupFailures = 0;
  let drained: (() => void) | null = null;

  function settle(job: Job, result: ParseResult): void {
    running.delete(job);
    job.resolve(result);
    if (running.size === 0 && drained) drained();
  }

  function spawn(): void {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { testHooks: opts.unsafeTestHooks === true },
    });
    const slot: Slot = { worker, ready: false, job: null, timer: null, lastError: null };
    slots.add(slot);
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        slot.ready = true;
        startupFailures = 0;
        worker.unref();
        pump();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      finishSlotJob(slot);
      const blobs = msg.blobs.map((b) => ({ sha256: b.sha256, bytes: Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength) }));
      settle(job, { message: msg.message, blobs });
      pump();
    });
    worker.on('error', (err) => {
      slot.lastError = err;
    });
    worker.on('exit', (code) => {
      if (!slots.delete(slot)) return; // replaced already (timeout)
      const job = slot.job;
      finishSlotJob(slot);
      if (job) {
        const why = slot.lastError ? `: ${slot.lastError.message}` : '';
        settle(job, failedParse(job.raw, `worker crashed (exit code ${code})${why}`));
      } else if (!slot.ready && !closed) {
        startupFailures++;
        if (startupFailures >= MAX_STARTUP_FAILURES) {
          fail(new IngestError('INGEST_WORKER_FAILED', 'parse workers fail to start', { cause: slot.lastError ?? undefined }));
          return;
        }
      }
      pump();
    });
  }

  function finishSlotJob(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  function fail(err: IngestError): void {
    broken = err;
    for (const job of queue.splice(0)) job.reject(err);
  }

  function pump(): void {
    if (broken) return;
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (!slot.ready || slot.job) continue;
      const job = queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      // One copy into a buffer we own: the caller keeps its Buffer (which may be a slice of a
      // pooled allocation) and we keep it too, to build a parseError record if the worker dies.
      const copy = new Uint8Array(job.raw);
      slot.worker.postMessage({ id: job.id, raw: copy } satisfies ToWorker, [copy.buffer]);
      slot.timer = setTimeout(() => {
        slots.delete(slot);
        finishSlotJob(slot);
        void slot.worker.terminate();
        settle(job, failedParse(job.raw, `parse timed out after ${timeoutMs} ms`));
        pump();
      }, timeoutMs);
    }
    if (!closed && queue.length > 0 && slots.size < size) {
      const waiting = [...slots].filter((s) => !s.ready).length;
      for (let i = 0; i < Math.min(queue.length - waiting, size - slots.size); i++) spawn();
    }
  }

  return {
    parse(raw: Buffer): Promise<ParseResult> {
      if (closed) return Promise.reject(new IngestError('INGEST_POOL_CLOSED', 'ingest pool is closed'));
      if (broken) return Promise.reject(broken);
      if (queue.length >= maxQueue) {
        return Promise.reject(new IngestError('INGEST_QUEUE_FULL', `ingest queue is full (${maxQueue} waiting)`));
      }
      return new Promise<ParseResult>((resolve, reject) => {
        const job: Job = { id: nextId++, raw, resolve, reject };
        running.add(job);
        queue.push(job);
        pump();
      });
    },
    stats() {
      return { workers: slots.size, queued: queue.length, pending: running.size };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const closedErr = new IngestError('INGEST_POOL_CLOSED', 'ingest pool closed before the job started');
      for (const job of queue.splice(0)) {
        running.delete(job);
        job.reject(closedErr);
      }
      if (running.size > 0) await new Promise<void>((resolve) => (drained = resolve));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
      slots.clear();
    },
  };
}
