import { parentPort, workerData } from 'node:worker_threads';
import { PACK_APPEND_WINDOW_MS, PackWriter, packCreatedAt, type BlobLocation } from './blob-pack.ts';
import { parseMessage } from './parse-message.ts';
import type { ParsedBlob, ParsedMessage } from './types.ts';

/** Messages between the pool and a worker. Bytes travel as Uint8Array views of transferred buffers. */
export type ToWorker = { id: number; raw: Uint8Array };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; message: ParsedMessage; blobs: Array<{ sha256: string; bytes: Uint8Array }> }
  /** The blobs were appended to a pack by the worker (not yet flushed): only their locations come back. */
  | { type: 'stored'; id: number; message: ParsedMessage; locations: BlobLocation[] }
  | { type: 'failed'; id: number; code: string; error: string };

/** Settings the pool hands each worker. */
export interface WorkerSettings {
  testHooks?: boolean;
  /** Append blobs to packs under this root (the disk blob store's) instead of sending their bytes back. */
  blobDir?: string;
  blobFsync?: boolean;
}

// Test-only: lets the pool's tests make a worker die or hang on a chosen message. Off unless the
// pool was created with `unsafeTestHooks`, so no mail content can trigger it in production.
const settings = (workerData ?? {}) as WorkerSettings;
const testHooks = settings.testHooks === true;
// Writing blobs here spares the main thread (which also runs IMAP, the database and the API) about a
// fifth of its import work: the bytes never travel back and the file calls run on this thread.
// The bytes are made durable by whoever indexes them (BlobStore.flush, once per pack per batch).
const packs = settings.blobDir ? new PackWriter(settings.blobDir, { fsync: settings.blobFsync !== false }) : null;
// Blobs this worker wrote lately: the same logo in every signature is appended once, not per message.
// (Blobs from earlier runs are not known here: a rare second copy is dead space, never a wrong read.)
const RECENT_LIMIT = 5_000;
const recent = new Map<string, BlobLocation>();

async function store(blob: ParsedBlob): Promise<BlobLocation> {
  const known = recent.get(blob.sha256);
  // Only while its pack takes appends: compaction may remove an older pack's unnamed blobs, and this
  // location would reach the index unchecked (an indexed key keeps its location).
  if (known && Date.now() - (packCreatedAt(known.pack) ?? 0) < PACK_APPEND_WINDOW_MS) return known;
  const loc = blob.dehydrated
    ? await packs!.append(blob.sha256, blob.dehydrated, 'dehydrated')
    : await packs!.append(blob.sha256, blob.bytes);
  if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  recent.set(blob.sha256, loc);
  return loc;
}
const CRASH = 'X-Tidings-Test-Hook: crash';
const HANG = 'X-Tidings-Test-Hook: hang';

/**
 * Hands back bytes without copying where the Buffer owns its whole ArrayBuffer; small Buffers
 * live in Node's shared allocation pool (byteOffset > 0), and transferring that would detach
 * unrelated Buffers, so those are copied.
 */
function transferable(buf: Buffer, transfer: Set<ArrayBuffer>): Uint8Array {
  const ab = buf.buffer;
  if (ab instanceof ArrayBuffer && buf.byteOffset === 0 && buf.byteLength === ab.byteLength && !transfer.has(ab)) {
    transfer.add(ab);
    return new Uint8Array(ab);
  }
  const copy = new Uint8Array(buf); // fresh ArrayBuffer of exactly this size
  transfer.add(copy.buffer);
  return copy;
}

const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');

port.on('message', async (job: ToWorker) => {
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  if (testHooks) {
    const head = raw.subarray(0, 64).toString('latin1');
    if (head.startsWith(CRASH)) process.exit(70);
    if (head.startsWith(HANG)) for (;;);
  }
  const result = await parseMessage(raw);
  if (packs) {
    let locations: BlobLocation[];
    try {
      locations = await Promise.all(result.blobs.map(store));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      port.postMessage({
        type: 'failed',
        id: job.id,
        code: typeof code === 'string' ? code : 'blob_io',
        error: (err as Error).message,
      } satisfies FromWorker);
      return;
    }
    port.postMessage({ type: 'stored', id: job.id, message: result.message, locations } satisfies FromWorker);
    return;
  }
  const transfer = new Set<ArrayBuffer>();
  const blobs = result.blobs.map((b) => ({ sha256: b.sha256, bytes: transferable(b.bytes, transfer) }));
  const reply: FromWorker = { type: 'result', id: job.id, message: result.message, blobs };
  port.postMessage(reply, [...transfer]);
});

port.postMessage({ type: 'ready' } satisfies FromWorker);
