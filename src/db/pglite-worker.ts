import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** Messages between the main thread (pglite-thread.ts) and this worker, which owns the PGlite instance. */
export type ToPglite = { id: number; op: 'query'; sql: string; params: readonly unknown[] } | { id: number; op: 'close' };
export type FromPglite =
  | { type: 'ready' }
  | { type: 'failed'; error: SerializedError }
  | { type: 'result'; id: number; rows: unknown[]; affectedRows: number | null }
  | { type: 'error'; id: number; error: SerializedError };

/** An error with its own properties (PostgreSQL's code, detail, constraint…), which postMessage would drop. */
export type SerializedError = { message: string; name: string; props: Record<string, unknown> };

export type PgliteWorkerData = { dataDir: string };

/**
 * PostgreSQL's settings for the embedded database, written to its postgresql.conf at every start.
 * shared_buffers: PostgreSQL's default of 128 MB is sized for a server with memory to spare, and in
 * PGlite it is WebAssembly memory that is never given back. The files underneath are cached by the
 * operating system anyway, so 16 MB costs little: (measured in docs/performance.md).
 */
const EMBEDDED_CONF = 'shared_buffers = 16MB';

function serialize(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { message: String(err), name: 'Error', props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) props[k] = v;
  return { message: err.message, name: err.name, props };
}

const port = parentPort;
if (!port) throw new Error('pglite-worker must run as a worker thread');
const { dataDir } = workerData as PgliteWorkerData;

try {
  const pglite = await PGlite.create(dataDir, {
    extensions: { pg_trgm },
    postgresqlconf: EMBEDDED_CONF,
    // int8 as number: counts and sizes stay below 2^53 and a string would leak into every caller.
    parsers: { 20: (v: string) => Number(v) },
  });
  port.on('message', async (msg: ToPglite) => {
    if (msg.op === 'close') {
      await pglite.close().catch(() => undefined);
      port.postMessage({ type: 'result', id: msg.id, rows: [], affectedRows: null } satisfies FromPglite);
      return;
    }
    try {
      const r = await pglite.query(msg.sql, msg.params as unknown[], { rowMode: 'object' });
      port.postMessage({ type: 'result', id: msg.id, rows: r.rows, affectedRows: r.affectedRows ?? null } satisfies FromPglite);
    } catch (err) {
      port.postMessage({ type: 'error', id: msg.id, error: serialize(err) } satisfies FromPglite);
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromPglite);
} catch (err) {
  port.postMessage({ type: 'failed', error: serialize(err) } satisfies FromPglite);
}
