import { randomBytes } from 'node:crypto';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from './errors.ts';

/**
 * Pack files: blobs appended to a few large files instead of one file each.
 *
 * Why: on the ext4 disks we measured, creating a file costs ~0.7 ms of kernel time whatever its size,
 * and the blob store made three per blob (temp file, its rename, the folders). A 5000-message import
 * (6000 blobs) spent ~12 CPU-s there, more than MIME parsing and the database together; appending
 * the same 683 MB to one file takes ~1 CPU-s including one fdatasync per message.
 *
 * A record is a 44-byte header (magic "TDB1", the SHA-256 as 32 raw bytes, the length as a 64-bit
 * big-endian integer) then the bytes, so a pack describes itself: a reader checks the header against
 * the key it asked for, and a lost index could be rebuilt by reading the packs. Records are only
 * appended; a record's location (pack, offset of its bytes, length) is what the blob index keeps.
 */

export interface BlobLocation {
  sha256: string;
  /** File name of the pack under `<root>/packs`. */
  pack: string;
  /** Offset of the blob's first byte (its header starts HEADER_BYTES before). */
  offset: number;
  length: number;
}

/** Header magic per record kind: a blob's bytes as they are, or a dehydrated raw source (dehydrate.ts). */
const MAGIC = { plain: Buffer.from('TDB1', 'latin1'), dehydrated: Buffer.from('TDD1', 'latin1') } as const;
export type RecordKind = keyof typeof MAGIC;
export const HEADER_BYTES = 44;
/** A pack is closed to new records past this size: small enough to copy, large enough to be few. */
const DEFAULT_MAX_PACK_BYTES = 1024 * 1024 * 1024;
/**
 * A pack takes new records for this long after it was created, then never again. So a pack older
 * than this plus the time a record waits to be indexed (seconds) can be compacted without asking
 * the writers, which may be other threads or processes (pack-compaction.ts).
 */
export const PACK_APPEND_WINDOW_MS = 60 * 60_000;
const PACK_NAME = /^[0-9a-z][0-9a-z-]*\.pack$/;

/** When a pack was created, from its name (`<ms since 1970, base 36>-<random>.pack`); null if not ours. */
export function packCreatedAt(name: string): number | null {
  const m = /^([0-9a-z]+)-[0-9a-f]+\.pack$/.exec(name);
  if (!m) return null;
  const ms = parseInt(m[1], 36);
  return Number.isSafeInteger(ms) ? ms : null;
}

export const packsDir = (root: string) => path.join(root, 'packs');

function header(sha256: string, length: number, kind: RecordKind): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC[kind].copy(h, 0);
  h.write(sha256, 4, 32, 'hex');
  h.writeBigUInt64BE(BigInt(length), 36);
  return h;
}

function blobIo(message: string, cause?: unknown): IngestError {
  return new IngestError('blob_io', message, cause === undefined ? undefined : { cause });
}

/**
 * Reads one record and checks its header: a location that points at the wrong bytes (a damaged index,
 * a truncated pack) is an error, never someone else's blob.
 */
export async function readPackRecord(root: string, loc: BlobLocation): Promise<{ kind: RecordKind; bytes: Buffer }> {
  // The pack name comes from the database: it must not walk out of the packs folder.
  if (!PACK_NAME.test(loc.pack) || loc.offset < HEADER_BYTES || loc.length < 0) throw blobIo(`blob ${loc.sha256} has a malformed location`);
  let handle: FileHandle;
  try {
    handle = await fs.open(path.join(packsDir(root), loc.pack), 'r');
  } catch (err) {
    throw blobIo(`cannot open pack ${loc.pack}: ${(err as Error).message}`, err);
  }
  try {
    const buf = Buffer.allocUnsafe(HEADER_BYTES + loc.length);
    const { bytesRead } = await handle.read(buf, 0, buf.length, loc.offset - HEADER_BYTES);
    const head = buf.subarray(0, HEADER_BYTES);
    const kind = (Object.keys(MAGIC) as RecordKind[]).find(
      (k) => bytesRead === buf.length && head.equals(header(loc.sha256, loc.length, k)),
    );
    if (!kind) throw blobIo(`blob ${loc.sha256} is not where its index says (pack ${loc.pack}, offset ${loc.offset})`);
    return { kind, bytes: buf.subarray(HEADER_BYTES) };
  } finally {
    await handle.close();
  }
}

interface OpenPack {
  name: string;
  createdAt: number;
  handle: FileHandle;
  /** Next free offset: reserved synchronously, so concurrent appends never overlap. */
  size: number;
  /** Appends and syncs still running; a retired pack closes when this reaches 0. */
  busy: number;
  retired: boolean;
}

export interface PackWriterOptions {
  /**
   * Sync a new pack's folder entry, so the file survives a crash (default true; false for tests and
   * benchmarks). The records themselves are made durable by whoever indexes their locations, with
   * syncPacks(): one fdatasync per pack per batch instead of one per blob.
   */
  fsync?: boolean;
  maxPackBytes?: number;
  /** Tests: a shorter PACK_APPEND_WINDOW_MS. */
  appendWindowMs?: number;
  /** Tests: the clock that names packs and ends their append window. */
  now?: () => number;
}

/**
 * Appends blobs to pack files this writer alone owns (one writer per thread: no locks between
 * writers). append() resolves once the bytes are written; the caller syncs (syncPacks) and records the location.
 */
export class PackWriter {
  readonly #dir: string;
  readonly #fsync: boolean;
  readonly #maxBytes: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #current: OpenPack | null = null;
  #opening: Promise<OpenPack> | null = null;
  #closed = false;

  constructor(root: string, opts: PackWriterOptions = {}) {
    this.#dir = packsDir(path.resolve(root));
    this.#fsync = opts.fsync ?? true;
    this.#maxBytes = opts.maxPackBytes ?? DEFAULT_MAX_PACK_BYTES;
    this.#windowMs = opts.appendWindowMs ?? PACK_APPEND_WINDOW_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** `kind` 'dehydrated': `bytes` is a dehydrated raw source whose content key is `sha256`. */
  async append(sha256: string, bytes: Uint8Array, kind: RecordKind = 'plain'): Promise<BlobLocation> {
    const { pack, at } = await this.#reserve(HEADER_BYTES + bytes.length);
    try {
      const { bytesWritten } = await pack.handle.writev([header(sha256, bytes.length, kind), bytes], at);
      if (bytesWritten !== HEADER_BYTES + bytes.length) throw blobIo(`short write to pack ${pack.name}`);
      return { sha256, pack: pack.name, offset: at + HEADER_BYTES, length: bytes.length };
    } catch (err) {
      // The pack may now hold a gap or a torn record: later records go to a fresh pack.
      this.#retire(pack);
      throw err instanceof IngestError ? err : blobIo(`cannot write to pack ${pack.name}: ${(err as Error).message}`, err);
    } finally {
      pack.busy--;
      if (pack.retired && pack.busy === 0) await pack.handle.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#current) this.#retire(this.#current);
  }

  /** Room for one record: the offset is taken synchronously, so concurrent appends never overlap. */
  async #reserve(recordBytes: number): Promise<{ pack: OpenPack; at: number }> {
    for (;;) {
      if (this.#closed) throw blobIo('the pack writer is closed');
      const cur = this.#current;
      const open = cur && !cur.retired && this.#now() - cur.createdAt < this.#windowMs;
      if (cur && open && (cur.size === 0 || cur.size + recordBytes <= this.#maxBytes)) {
        const at = cur.size;
        cur.size += recordBytes;
        cur.busy++; // now, not after the await: a retiring pack must not close under this append
        return { pack: cur, at };
      }
      if (cur) this.#retire(cur);
      // Appends that arrive while a pack is being created wait for that same pack.
      this.#opening ??= this.#openPack().finally(() => (this.#opening = null));
      await this.#opening;
    }
  }

  async #openPack(): Promise<OpenPack> {
    const createdAt = this.#now();
    const name = `${createdAt.toString(36)}-${randomBytes(6).toString('hex')}.pack`;
    try {
      await fs.mkdir(this.#dir, { recursive: true });
      const handle = await fs.open(path.join(this.#dir, name), 'wx', 0o600);
      if (this.#fsync) await syncPath(this.#dir, 'all'); // the new file's name must survive a crash too
      const pack: OpenPack = { name, createdAt, handle, size: 0, busy: 0, retired: false };
      this.#current = pack;
      return pack;
    } catch (err) {
      throw blobIo(`cannot create a pack in ${this.#dir}: ${(err as Error).message}`, err);
    }
  }

  #retire(pack: OpenPack): void {
    if (this.#current === pack) this.#current = null;
    if (pack.retired) return;
    pack.retired = true;
    if (pack.busy === 0) void pack.handle.close().catch(() => undefined);
  }
}

/** Makes every record written so far to the packs these locations name durable (one fdatasync each). */
export async function syncPacks(root: string, locations: readonly BlobLocation[]): Promise<void> {
  const names = new Set(locations.map((l) => l.pack));
  await Promise.all(
    [...names].map(async (name) => {
      if (!PACK_NAME.test(name)) throw blobIo(`malformed pack name ${JSON.stringify(name)}`);
      try {
        await syncPath(path.join(packsDir(root), name), 'data');
      } catch (err) {
        throw blobIo(`cannot flush pack ${name}: ${(err as Error).message}`, err);
      }
    }),
  );
}

/** Deletes a pack nothing is indexed in any more (compaction); one already gone is fine. */
export async function removePack(root: string, name: string, opts: { fsync?: boolean } = {}): Promise<void> {
  if (!PACK_NAME.test(name)) throw blobIo(`malformed pack name ${JSON.stringify(name)}`);
  const dir = packsDir(path.resolve(root));
  try {
    await fs.unlink(path.join(dir, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw blobIo(`cannot remove pack ${name}: ${(err as Error).message}`, err);
    return;
  }
  if (opts.fsync ?? true) await syncPath(dir, 'all');
}

/** fdatasync ('data') or fsync ('all', for a folder's entries) of a file or folder by path. */
async function syncPath(target: string, what: 'data' | 'all'): Promise<void> {
  const handle = await fs.open(target, 'r');
  try {
    await (what === 'data' ? handle.datasync() : handle.sync());
  } finally {
    await handle.close();
  }
}
