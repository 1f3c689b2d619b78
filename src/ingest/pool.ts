import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../kernel/index.ts';
import { IngestError } from './errors.ts';
import { failedParse } from './parse-message.ts';
import type { FromWorker, ToWorker, WorkerSettings } from './parse-worker.ts';
import type { ParseResult } from './types.ts';

export interface IngestPool {
  /**
   * Parses in a worker thread. Resolves with a parseError record if the worker crashes or times out.
   * `handOver`: the caller gives `raw` up and must not read it again. A Buffer that is its whole
   * ArrayBuffer (a fetched message's is) then moves to the worker instead of being copied; if that
   * worker dies with it, the bytes die too and the job rejects with ingest_source_lost, so the caller
   * fetches the message again and parses it without handOver (which names a culprit: a parseError
   * record). A slice of a larger allocation is copied as without handOver.
   */
  parse(raw: Buffer, opts?: { handOver?: boolean }): Promise<ParseResult>;
  /** Rejects queued jobs (ingest_pool_closed), waits for running ones, terminates the workers. */
  close(): Promise<void>;
  /**
   * Starts every worker now and resolves once all are ready. Optional: workers otherwise start on
   * the first parse. Starting one costs a second or two of CPU (it loads its modules), which a
   * server pays at boot rather than at the start of its first import.
   */
  warm(): Promise<void>;
  /** Live worker threads, jobs waiting for one, and jobs accepted but not yet settled. */
  stats(): { workers: number; queued: number; pending: number };
}

export interface IngestPoolOptions {
  /**
   * Worker threads; default one per core but one: the main thread (IMAP, TLS, the database client, the
   * API) keeps a core of its own. On 2 cores one worker imported as fast as two with less CPU and
   * ~35 MB less memory (docs/performance.md).
   */
  size?: number;
  /**
   * Jobs in flight per worker; default 8. The worker also appends each message's blobs to a pack, and a
   * write call holds its thread, so it needs messages queued behind the one it writes to stay busy
   * (figures in docs/performance.md). The fetch side's byte bound (ingest-stream.ts) still caps what the
   * worker holds.
   */
  depth?: number;
  /** Jobs waiting for a worker before parse() rejects with ingest_queue_full; default 2048. */
  maxQueue?: number;
  /** Per-message limit; past it the worker is replaced and the message gets a parseError. Default 20 s. */
  timeoutMs?: number;
  /**
   * V8 old-generation cap per worker in MB; default 256. A message that needs more kills only its
   * worker (and gets a parseError) instead of the whole process. Attachment bytes live outside it.
   */
  workerHeapMb?: number;
  /**
   * The disk blob store's root: workers then append each message's blobs (raw source, attachments)
   * to packs themselves and results carry no bytes (`blobs` is empty, `storedBlobs` gives their
   * locations, which the caller flushes and then indexes: BlobStore.flush). Without it the caller
   * stores `blobs`.
   */
  blobDir?: string;
  /** With blobDir: false never flushes the packs (tests, benchmarks); default true. */
  blobFsync?: boolean;
  /** Test only: honours X-Tidings-Test-Hook: crash|hang at the start of a message. */
  unsafeTestHooks?: boolean;
}

/**
 * The worker's young generation, in MB. Left to V8, a worker whose old generation is capped gets a young
 * generation so large beside its small old one that V8 keeps starting full (marking) collections. Sized
 * explicitly, parse garbage dies young, which costs less CPU and memory (docs/performance.md).
 */
const WORKER_YOUNG_GENERATION_MB = 12;

interface Job {
  id: number;
  /** null once moved to a worker (parse's handOver): a dead worker took the bytes with it. */
  raw: Buffer | null;
  /** The caller gave `raw` up (parse's handOver): moved to the worker unless it is a slice. */
  handOver: boolean;
  resolve: (r: ParseResult) => void;
  reject: (e: Error) => void;
  /** Was in flight when a worker died beside other jobs: runs alone next time, to find the culprit. */
  isolate: boolean;
  timer: NodeJS.Timeout | null;
}

/** A Buffer that is all of its ArrayBuffer, which can then be moved without taking neighbours along. */
function ownsWholeBuffer(buf: Buffer): boolean {
  const ab = buf.buffer;
  return ab instanceof ArrayBuffer && buf.byteOffset === 0 && buf.byteLength === ab.byteLength && ab.byteLength > 0;
}

const sourceLost = (reason: string) =>
  new IngestError('ingest_source_lost', `the message's source was handed to a parse worker that died (${reason})`);

interface Slot {
  worker: Worker;
  ready: boolean;
  jobs: Map<number, Job>;
  lastError: Error | null;
}

// A worker that dies before it is ready this many times in a row means the pool cannot work at all.
const MAX_STARTUP_FAILURES = 3;

export function createIngestPool(opts: IngestPoolOptions = {}): IngestPool {
  const size = Math.max(1, opts.size ?? os.availableParallelism() - 1);
  const depth = Math.max(1, opts.depth ?? 8);
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
  let readyWaiters: Array<() => void> = [];
  const allReady = () => slots.size >= size && [...slots].every((s) => s.ready);
  function wakeReadyWaiters(): void {
    if (!allReady() && !broken && !closed) return;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const w of waiters) w();
  }

  /** Ends a job with its result or (a blob store failure in the worker) an error. */
  function settle(job: Job, outcome: ParseResult | IngestError): void {
    if (job.timer) clearTimeout(job.timer);
    job.timer = null;
    running.delete(job);
    if (outcome instanceof IngestError) job.reject(outcome);
    else job.resolve(outcome);
    if (running.size === 0 && drained) drained();
  }

  /**
   * A worker died (crash or timeout) with `jobs` in flight. Alone, the job is the culprit and gets
   * a parseError record. Beside others, nobody knows which one did it: all go back to the front of
   * the queue to run one at a time, so the next death names the culprit and no innocent job is lost.
   */
  function workerDied(slot: Slot, reason: string, suspect: Job | null): void {
    slots.delete(slot);
    const jobs = [...slot.jobs.values()];
    slot.jobs.clear();
    for (const job of jobs) {
      if (job.timer) clearTimeout(job.timer);
      job.timer = null;
    }
    // Jobs whose bytes went with the worker cannot run again here: their callers fetch them again.
    for (const job of jobs) if (job.raw === null) settle(job, sourceLost(reason));
    const kept = jobs.filter((j) => j.raw !== null);
    if (kept.length === jobs.length && (jobs.length === 1 || suspect?.isolate)) {
      const culprit = suspect ?? jobs[0];
      settle(culprit, failedParse(culprit.raw!, reason));
      const others = jobs.filter((j) => j !== culprit);
      for (const j of others) j.isolate = true;
      queue.unshift(...others);
    } else {
      for (const j of kept) j.isolate = true;
      queue.unshift(...kept);
    }
    pump();
  }

  function spawn(): void {
    const worker = startModuleWorker(import.meta.url, './parse-worker', 'parse worker', {
      resourceLimits: { maxOldGenerationSizeMb: opts.workerHeapMb ?? 256, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      workerData: { testHooks: opts.unsafeTestHooks === true, blobDir: opts.blobDir, blobFsync: opts.blobFsync } satisfies WorkerSettings,
    });
    const slot: Slot = { worker, ready: false, jobs: new Map(), lastError: null };
    slots.add(slot);
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') {
        slot.ready = true;
        startupFailures = 0;
        worker.unref();
        pump();
        wakeReadyWaiters();
        return;
      }
      const job = slot.jobs.get(msg.id);
      if (!job) return;
      slot.jobs.delete(msg.id);
      if (slot.jobs.size === 0) worker.unref();
      if (msg.type === 'failed') {
        settle(job, new IngestError(msg.code === 'blob_bad_hash' ? 'blob_bad_hash' : 'blob_io', msg.error));
      } else if (msg.type === 'stored') {
        settle(job, { message: msg.message, blobs: [], storedBlobs: msg.locations });
      } else {
        const blobs = msg.blobs.map((b) => ({
          sha256: b.sha256,
          bytes: Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength),
        }));
        settle(job, { message: msg.message, blobs });
      }
      pump();
    });
    worker.on('error', (err) => {
      slot.lastError = err;
    });
    worker.on('exit', (code) => {
      if (!slots.has(slot)) return; // already replaced (timeout) or closing
      if (slot.jobs.size > 0) {
        const why = slot.lastError ? `: ${slot.lastError.message}` : '';
        workerDied(slot, `worker crashed (exit code ${code})${why}`, null);
        return;
      }
      slots.delete(slot);
      if (!slot.ready && !closed) {
        startupFailures++;
        if (startupFailures >= MAX_STARTUP_FAILURES) {
          fail(new IngestError('ingest_worker_failed', 'parse workers fail to start', { cause: slot.lastError ?? undefined }));
          return;
        }
        if (readyWaiters.length > 0) spawn(); // someone waits in warm(): try again
      }
      pump();
    });
  }

  function fail(err: IngestError): void {
    broken = err;
    wakeReadyWaiters();
    for (const job of queue.splice(0)) {
      running.delete(job);
      job.reject(err);
    }
  }

  function canTake(slot: Slot, job: Job): boolean {
    if (!slot.ready || slot.jobs.size >= depth) return false;
    if (slot.jobs.size === 0) return true;
    if (job.isolate) return false;
    for (const j of slot.jobs.values()) if (j.isolate) return false;
    return true;
  }

  function dispatch(slot: Slot, job: Job): void {
    slot.jobs.set(job.id, job);
    slot.worker.ref();
    const raw = job.raw!;
    if (job.handOver && ownsWholeBuffer(raw)) {
      // Moved, not copied: the caller gave it up. A dead worker takes it along (ingest_source_lost).
      // Moving also frees the bytes as soon as the worker drops them: a Buffer kept here until the
      // answer lived long enough to reach the old generation, where V8 frees outside memory late.
      const bytes = new Uint8Array(raw.buffer as ArrayBuffer);
      job.raw = null;
      slot.worker.postMessage({ id: job.id, raw: bytes } satisfies ToWorker, [bytes.buffer]);
    } else {
      // One copy into a buffer we own: the caller keeps its Buffer (which may be a slice of a
      // pooled allocation) and we keep it too, to build a parseError record if the worker dies.
      const copy = new Uint8Array(raw);
      slot.worker.postMessage({ id: job.id, raw: copy } satisfies ToWorker, [copy.buffer]);
    }
    job.timer = setTimeout(() => {
      void slot.worker.terminate();
      workerDied(slot, `parse timed out after ${timeoutMs} ms`, job);
    }, timeoutMs);
  }

  function pump(): void {
    if (broken) return;
    let progress = true;
    while (queue.length > 0 && progress) {
      progress = false;
      for (const slot of slots) {
        if (queue.length === 0) break;
        if (!canTake(slot, queue[0])) continue;
        dispatch(slot, queue.shift() as Job);
        progress = true;
      }
    }
    // Also after close(): the queue then holds only jobs that were in flight when a worker died.
    if (queue.length > 0 && slots.size < size) {
      const starting = [...slots].filter((s) => !s.ready).length;
      const want = Math.min(Math.ceil(queue.length / depth) - starting, size - slots.size);
      for (let i = 0; i < want; i++) spawn();
    }
  }

  return {
    parse(raw: Buffer, parseOpts?: { handOver?: boolean }): Promise<ParseResult> {
      if (closed) return Promise.reject(new IngestError('ingest_pool_closed', 'ingest pool is closed'));
      if (broken) return Promise.reject(broken);
      if (queue.length >= maxQueue) {
        return Promise.reject(new IngestError('ingest_queue_full', `ingest queue is full (${maxQueue} waiting)`));
      }
      return new Promise<ParseResult>((resolve, reject) => {
        const job: Job = { id: nextId++, raw, handOver: parseOpts?.handOver === true, resolve, reject, isolate: false, timer: null };
        running.add(job);
        queue.push(job);
        pump();
      });
    },
    warm(): Promise<void> {
      if (closed || broken) return Promise.resolve();
      for (let i = slots.size; i < size; i++) spawn();
      if (allReady()) return Promise.resolve();
      return new Promise<void>((resolve) => readyWaiters.push(resolve));
    },
    stats() {
      return { workers: slots.size, queued: queue.length, pending: running.size };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const closedErr = new IngestError('ingest_pool_closed', 'ingest pool closed before the job started');
      for (const job of queue.splice(0)) {
        running.delete(job);
        job.reject(closedErr);
      }
      if (running.size > 0) await new Promise<void>((resolve) => (drained = resolve));
      const workers = [...slots].map((s) => s.worker);
      slots.clear();
      wakeReadyWaiters();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
