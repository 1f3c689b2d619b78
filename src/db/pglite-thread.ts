import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  PGliteDialect,
  type QueryResult,
  type TransactionSettings,
  CompiledQuery as Compiled,
} from 'kysely';
import { startModuleWorker } from '../kernel/index.ts';
import { lockEmbeddedDatabase, type EmbeddedLock } from './embedded-lock.ts';
import type { FromPglite, PgliteWorkerData, SerializedError, ToPglite } from './pglite-worker.ts';

function revive(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return Object.assign(err, e.props);
}

/** The PGlite instance living in its worker thread, reached by messages. */
class PgliteThread {
  #worker: Worker | null = null;
  readonly #calls = new Map<
    number,
    { resolve: (r: { rows: unknown[]; affectedRows: number | null }) => void; reject: (e: Error) => void }
  >();
  #next = 1;
  #dead: Error | null = null;
  #closing = false;
  #lock: EmbeddedLock | null = null;
  readonly #onLost: (err: Error) => void;
  readonly ready: Promise<void>;

  constructor(dataDir: string, onLost: (err: Error) => void) {
    this.#onLost = onLost;
    this.ready = this.#start(dataDir);
    this.ready.catch(() => undefined); // reported to whoever uses the database first (Kysely's init)
  }

  async #start(dataDir: string): Promise<void> {
    if (!dataDir.startsWith('memory://')) this.#lock = await lockEmbeddedDatabase(dataDir);
    try {
      await this.#open(dataDir);
    } catch (err) {
      await this.#worker?.terminate();
      await this.#lock?.release();
      throw err;
    }
  }

  async #open(dataDir: string): Promise<void> {
    // A new cluster is created apart (initCluster), so its memory is never this process's.
    if (!dataDir.startsWith('memory://') && !existsSync(path.join(dataDir, 'PG_VERSION'))) await initCluster(dataDir);
    const worker = startModuleWorker(import.meta.url, './pglite-worker', 'embedded database', {
      workerData: { dataDir } satisfies PgliteWorkerData,
    });
    this.#worker = worker;
    let started = false;
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FromPglite) => {
        if (msg.type === 'ready') {
          started = true;
          return resolve();
        }
        if (msg.type === 'failed') return reject(revive(msg.error));
        const call = this.#calls.get(msg.id);
        if (!call) return;
        this.#calls.delete(msg.id);
        if (msg.type === 'result') call.resolve({ rows: msg.rows, affectedRows: msg.affectedRows });
        else call.reject(revive(msg.error));
      });
      worker.on('error', (err) => this.#fail(err, reject, started));
      worker.on('exit', (code) => this.#fail(new Error(`the embedded database stopped (exit code ${code})`), reject, started));
    });
  }

  #fail(err: Error, rejectReady: (e: Error) => void, started: boolean): void {
    const first = this.#dead === null;
    this.#dead ??= err;
    rejectReady(err);
    for (const call of this.#calls.values()) call.reject(err);
    this.#calls.clear();
    // Every query from now on would fail: whoever opened the database decides (the server exits).
    if (first && started && !this.#closing) this.#onLost(err);
  }

  /** The thread PGlite runs in, once started: for tests that end it. */
  get worker(): Worker | null {
    return this.#worker;
  }

  call(msg: Omit<Extract<ToPglite, { op: 'query' }>, 'id'> | { op: 'close' }): Promise<{ rows: unknown[]; affectedRows: number | null }> {
    if (this.#dead) return Promise.reject(this.#dead);
    const worker = this.#worker;
    if (!worker) return Promise.reject(new Error('the embedded database is not started yet'));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id } as ToPglite);
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.ready.catch(() => undefined);
    if (!this.#dead) await this.call({ op: 'close' }).catch(() => undefined);
    this.#dead ??= new Error('the embedded database is closed');
    await this.#worker?.terminate();
    await this.#lock?.release();
  }
}

/**
 * Creates the cluster in `dataDir` (initdb) in a short-lived Node process. initdb runs a second
 * WebAssembly PostgreSQL whose memory PGlite keeps while its thread lives, and even a thread ended at
 * once leaves ~100 MB in the C allocator's free lists: on a server's first start that was ~500 MB more
 * for as long as it ran. A process of its own gives all of it back.
 */
async function initCluster(dataDir: string): Promise<void> {
  const code = `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});
    const db = await PGlite.create(process.env.TIDINGS_INITDB_DIR); await db.close();`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, TIDINGS_INITDB_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`creating the embedded database in ${dataDir} failed (exit code ${code}): ${stderr.trim().split('\n').pop() ?? ''}`),
          ),
    );
  });
}

class PgliteThreadConnection implements DatabaseConnection {
  constructor(private readonly thread: PgliteThread) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { rows, affectedRows } = await this.thread.call({ op: 'query', sql: query.sql, params: query.parameters });
    return { rows: rows as R[], numAffectedRows: affectedRows != null ? BigInt(affectedRows) : undefined };
  }

  // biome-ignore lint/correctness/useYield: Kysely's driver interface wants a generator; PGlite has nothing to stream.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }
}

/**
 * PGlite in a worker thread. PGlite runs PostgreSQL compiled to WebAssembly, synchronously: in the main
 * thread every statement blocked IMAP, the parse workers' results and the API until it finished (a
 * 100-message batch is ~0.1 s). In its own thread the database works while the main thread goes on.
 *
 * PGlite is one session, so callers take turns: one holder of the connection at a time, exactly as a
 * one-connection pool would behave (a query issued during another caller's transaction must not run
 * inside it). Transactions are plain BEGIN/COMMIT on that session.
 */
class PgliteThreadDriver implements Driver {
  readonly #thread: PgliteThread;
  readonly #connection: PgliteThreadConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;

  constructor(dataDir: string, onLost: (err: Error) => void) {
    this.#thread = new PgliteThread(dataDir, onLost);
    this.#connection = new PgliteThreadConnection(this.#thread);
  }

  init(): Promise<void> {
    return this.#thread.ready;
  }

  get worker(): Worker | null {
    return this.#thread.worker;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(Compiled.raw(`begin${level}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(Compiled.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(Compiled.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(Compiled.raw(`savepoint ${quoteIdent(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(Compiled.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(Compiled.raw(`release savepoint ${quoteIdent(name)}`));
  }
  destroy(): Promise<void> {
    return this.#thread.close();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Kysely's PGlite dialect (same SQL, adapter and introspection) with the database in a worker thread. */
export class PgliteThreadDialect extends PGliteDialect {
  readonly #dataDir: string;
  readonly #onLost: (err: Error) => void;
  #driver: PgliteThreadDriver | null = null;
  /** `onLost` is called once if the database's thread ends (a crash, out of memory) other than by close(). */
  constructor(dataDir: string, onLost: (err: Error) => void) {
    super({ pglite: undefined as never });
    this.#dataDir = dataDir;
    this.#onLost = onLost;
  }
  override createDriver(): Driver {
    this.#driver = new PgliteThreadDriver(this.#dataDir, this.#onLost);
    return this.#driver;
  }
  /** The database's thread once started (null before). */
  get worker(): Worker | null {
    return this.#driver?.worker ?? null;
  }
}
