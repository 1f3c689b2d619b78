import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../kernel/index.ts';
import { CrmError, type CrmErrorCode } from '../errors.ts';
import type { CsvKind, FromCsvWorker, ParsedCsvByKind, ToCsvWorker } from './csv-worker.ts';

export interface CsvParseThreadOptions {
  /** Past this a file's reading is given up (csv_too_complex) and the worker replaced. Default 30 s. */
  timeoutMs?: number;
  /** V8 old-generation cap of the worker in MB; a file that needs more kills only the worker. Default 256. */
  heapMb?: number;
}

interface Job {
  id: number;
  kind: CsvKind;
  bytes: Buffer;
  resolve: (parsed: ParsedCsvByKind[CsvKind]) => void;
  reject: (error: Error) => void;
}

const tooComplex = (why: string) =>
  new CrmError('csv_too_complex', `The file is too large or too complex to read (${why}); split it into smaller files.`);

/**
 * Reads uploaded CSV files in one worker thread, so decoding, parsing and checking a 5 MB file (seconds of
 * CPU for a hostile one) never holds the thread that answers requests. One file at a time: imports are
 * rare, and a queue bounds the memory they take. The worker starts on the first file, stays for the next
 * ones without keeping the process alive, and is replaced when a file kills it or runs past the timeout.
 */
export class CsvParseThread {
  readonly #timeoutMs: number;
  readonly #heapMb: number;
  #worker: Worker | null = null;
  #ready = false;
  #current: Job | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #queue: Job[] = [];
  #nextId = 1;

  constructor(options: CsvParseThreadOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#heapMb = options.heapMb ?? 256;
  }

  /** The file's rows and row problems; whole-file problems reject with their CrmError, as when read in-thread. */
  parse<K extends CsvKind>(kind: K, bytes: Buffer): Promise<ParsedCsvByKind[K]> {
    return new Promise<ParsedCsvByKind[K]>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, kind, bytes, resolve: resolve as Job['resolve'], reject });
      this.#pump();
    });
  }

  /** Stops the worker; files waiting or being read are refused. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    for (const job of [...(this.#current ? [this.#current] : []), ...this.#queue.splice(0)])
      job.reject(new Error('The CSV reader was closed.'));
    this.#settleCurrent();
    await worker?.terminate();
  }

  #pump(): void {
    if (this.#current || this.#queue.length === 0) return;
    if (!this.#worker) this.#start();
    if (!this.#ready) return;
    const job = this.#queue.shift() as Job;
    this.#current = job;
    const worker = this.#worker as Worker;
    worker.ref();
    // A copy the worker owns: the request's Buffer may be a slice of a larger allocation.
    const bytes = new Uint8Array(job.bytes);
    worker.postMessage({ id: job.id, kind: job.kind, bytes } satisfies ToCsvWorker, [bytes.buffer]);
    this.#timer = setTimeout(() => this.#replaceWorker(tooComplex(`still reading after ${this.#timeoutMs / 1000} s`)), this.#timeoutMs);
  }

  #start(): void {
    const worker = startModuleWorker(import.meta.url, './csv-worker', 'CSV worker', {
      resourceLimits: { maxOldGenerationSizeMb: this.#heapMb },
    });
    this.#worker = worker;
    this.#ready = false;
    let lastError: Error | null = null;
    worker.on('message', (msg: FromCsvWorker) => {
      if (msg.type === 'ready') {
        this.#ready = true;
        worker.unref();
        this.#pump();
        return;
      }
      const job = this.#current;
      if (!job || job.id !== msg.id) return;
      this.#settleCurrent();
      worker.unref();
      if (msg.type === 'parsed') job.resolve(msg.parsed);
      else if (msg.type === 'refused') job.reject(new CrmError(msg.code as CrmErrorCode, msg.message, { details: msg.details }));
      else job.reject(new Error(`CSV worker: ${msg.message}`));
      this.#pump();
    });
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return; // replaced or closed
      const started = this.#ready;
      this.#worker = null;
      this.#ready = false;
      if (!started) {
        // It never came up: every file waiting would meet the same fate.
        const error = new Error(`The CSV worker failed to start (exit code ${code}).`, { cause: lastError ?? undefined });
        for (const job of this.#queue.splice(0)) job.reject(error);
        return;
      }
      const job = this.#current;
      this.#settleCurrent();
      job?.reject(tooComplex(lastError?.message.includes('memory') ? 'out of memory' : `the reader stopped, exit code ${code}`));
      this.#pump();
    });
  }

  /** Gives up on the file being read: the worker is terminated and the next file gets a new one. */
  #replaceWorker(error: CrmError): void {
    const job = this.#current;
    const worker = this.#worker;
    this.#worker = null;
    this.#ready = false;
    this.#settleCurrent();
    void worker?.terminate();
    job?.reject(error);
    this.#pump();
  }

  #settleCurrent(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#current = null;
  }
}

/** The process's one CSV reader. */
export const csvParseThread = new CsvParseThread();
