import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PackWriter, readPackRecord, syncPacks, type BlobLocation, type RecordKind } from './blob-pack.ts';
import { hydrate } from './dehydrate.ts';
import { IngestError } from './errors.ts';

export type { BlobLocation } from './blob-pack.ts';

export interface BlobStore {
  /**
   * Stores bytes under their SHA-256 (hex), durably and indexed, and returns the key; storing bytes
   * already stored is a no-op. `sha256`, when the caller already computed it, saves hashing again.
   * Pack compaction may drop a blob nothing names between this call and the transaction that names
   * it; the sync engine therefore has its parse workers append blobs and index them in the batch
   * transaction (ParseResult.storedBlobs), and uses put only when the pool has no blob folder (tests).
   */
  put(bytes: Buffer, sha256?: string): Promise<string>;
  /** Rejects with blob_not_found when absent, blob_bad_hash for a malformed key. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** Makes blobs a parse worker appended (ParseResult.storedBlobs) durable: call before indexing them. */
  flush(locations: readonly BlobLocation[]): Promise<void>;
}

/**
 * Where each blob is: the database's blob_locations table in Tidings (src/store/blob-index.ts), so a
 * location becomes visible in the same transaction as the rows that name the blob.
 */
export interface BlobIndex {
  find(sha256: string): Promise<BlobLocation | null>;
  /** Idempotent: a key already indexed keeps its first location (a second copy is dead space). */
  add(locations: BlobLocation[]): Promise<void>;
}

export interface DiskBlobStoreOptions {
  index: BlobIndex;
  /** fsync each blob before it is indexed (default true). Off only for benchmarks and tests. */
  fsync?: boolean;
  /**
   * Where else an attachment a dehydrated raw source refers to may be (the object store, plain bytes
   * only): `tidings blobs move` may have moved the attachment before its raw source.
   */
  elsewhere?: (sha256: string) => Promise<Buffer>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Where a Tidings data dir keeps its blobs: the server and the CLI must agree on it. */
export function blobRootIn(dataDir: string): string {
  return path.join(dataDir, 'blobs');
}

/** A blob's key: the hex SHA-256 of its bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function checkBlobKey(sha256: string): void {
  // Keys reach file paths (older stores) and pack headers: anything but 64 hex digits is refused.
  if (!SHA256_HEX.test(sha256)) throw new IngestError('blob_bad_hash', 'blob key is not a lowercase SHA-256 hex digest');
}

/**
 * Content-addressed blobs on disk under `root`: appended to pack files (blob-pack.ts), located through
 * the index. Blobs written by Tidings before packs existed, one file each at `<root>/ab/cd/<sha256>`,
 * are still read. The parse workers append with their own PackWriter and hand the locations to the
 * batch that stores the message; `put` is for everything else and indexes at once.
 */
export function createDiskBlobStore(rootDir: string, opts: DiskBlobStoreOptions): BlobStore {
  const root = path.resolve(rootDir);
  const index = opts.index;
  const fsync = opts.fsync ?? true;
  const writer = new PackWriter(root, { fsync });
  const legacyPath = (sha: string) => path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);

  async function readLegacy(sha: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(legacyPath(sha));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new IngestError('blob_io', `cannot read blob ${sha}: ${(err as Error).message}`, { cause: err });
    }
  }

  async function has(sha: string): Promise<boolean> {
    checkBlobKey(sha);
    if (await index.find(sha)) return true;
    try {
      await fs.access(legacyPath(sha));
      return true;
    } catch {
      return false;
    }
  }

  /** A blob as stored: a dehydrated raw source comes back as its record (kind 'dehydrated'). */
  async function read(sha256: string): Promise<{ kind: RecordKind; bytes: Buffer }> {
    checkBlobKey(sha256);
    const loc = await index.find(sha256);
    if (loc) {
      try {
        return await readPackRecord(root, loc);
      } catch (err) {
        // Compaction may have moved the blob and removed its old pack since the lookup: look once more.
        const now = await index.find(sha256);
        if (now && (now.pack !== loc.pack || now.offset !== loc.offset)) return readPackRecord(root, now);
        throw err;
      }
    }
    const legacy = await readLegacy(sha256);
    if (legacy) return { kind: 'plain', bytes: legacy };
    throw new IngestError('blob_not_found', `blob ${sha256} not found`);
  }

  /** Attachments a raw source refers to are plain blobs; anything else is a damaged store (and no loop). */
  async function plain(sha256: string): Promise<Buffer> {
    let record: { kind: RecordKind; bytes: Buffer };
    try {
      record = await read(sha256);
    } catch (err) {
      if (opts.elsewhere && err instanceof IngestError && err.code === 'blob_not_found') return opts.elsewhere(sha256);
      throw err;
    }
    if (record.kind !== 'plain') throw new IngestError('blob_io', `blob ${sha256} should be plain bytes`);
    return record.bytes;
  }

  async function get(sha256: string): Promise<Buffer> {
    const record = await read(sha256);
    if (record.kind === 'plain') return record.bytes;
    let raw: Buffer;
    try {
      raw = await hydrate(record.bytes, plain);
    } catch (err) {
      throw new IngestError('blob_io', `cannot rebuild raw source ${sha256}: ${(err as Error).message}`, { cause: err });
    }
    // Rebuilt from several blobs: check it is what the key promises before anyone sees it.
    if (sha256Hex(raw) !== sha256) throw new IngestError('blob_io', `raw source ${sha256} did not rebuild to its own bytes`);
    return raw;
  }

  async function flush(locations: readonly BlobLocation[]): Promise<void> {
    if (fsync && locations.length) await syncPacks(root, locations);
  }

  return {
    async put(bytes: Buffer, knownSha?: string): Promise<string> {
      if (knownSha !== undefined) checkBlobKey(knownSha);
      const sha = knownSha ?? sha256Hex(bytes);
      if (await has(sha)) return sha;
      const loc = await writer.append(sha, bytes);
      await flush([loc]);
      await index.add([loc]);
      return sha;
    },

    get,
    has,
    flush,
  };
}

/** A BlobIndex in memory: for tools and tests that have no database. */
export function memoryBlobIndex(): BlobIndex & { size(): number } {
  const map = new Map<string, BlobLocation>();
  return {
    async find(sha) {
      return map.get(sha) ?? null;
    },
    async add(locations) {
      for (const l of locations) if (!map.has(l.sha256)) map.set(l.sha256, l);
    },
    size: () => map.size,
  };
}
