import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from './errors.ts';

export interface BlobStore {
  /**
   * Stores bytes under their SHA-256 (hex) and returns it; storing the same bytes again is a no-op.
   * `sha256`, when the caller already computed it (the parse workers do), saves hashing again.
   */
  put(bytes: Buffer, sha256?: string): Promise<string>;
  /** Rejects with BLOB_NOT_FOUND when absent, BLOB_BAD_HASH for a malformed key. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** Streams a blob; a missing blob shows up as an 'error' event on the stream. */
  createReadStream?(sha256: string): NodeJS.ReadableStream;
}

export interface DiskBlobStoreOptions {
  /** fsync each blob before it becomes visible (default true). Off only for benchmarks and tests. */
  fsync?: boolean;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A blob's key: the hex SHA-256 of its bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkKey(sha256: string): void {
  // The key becomes a path: anything but 64 hex digits could walk out of the root.
  if (!SHA256_HEX.test(sha256)) throw new IngestError('BLOB_BAD_HASH', 'blob key is not a lowercase SHA-256 hex digest');
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * Content-addressed blobs on disk at `<root>/ab/cd/<sha256>`. A blob is written to `<root>/tmp`,
 * flushed, then renamed into place, so a reader never sees a partial file and a crash leaves at
 * worst an orphaned temp file. Concurrent puts of the same bytes race harmlessly: both renames
 * install identical content.
 */
export function createDiskBlobStore(rootDir: string, opts: DiskBlobStoreOptions = {}): BlobStore {
  const root = path.resolve(rootDir);
  const tmpDir = path.join(root, 'tmp');
  const fsync = opts.fsync ?? true;
  const pathFor = (sha: string) => path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);

  async function exists(file: string): Promise<boolean> {
    try {
      await fs.access(file);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new IngestError('BLOB_IO', `cannot stat blob: ${(err as Error).message}`, { cause: err });
    }
  }

  // Folders known to exist: an import writes thousands of blobs into at most 65,536 folders, and a
  // mkdir per blob was a measurable share of the import's main-thread time.
  const made = new Set<string>();
  async function ensureDir(dir: string): Promise<void> {
    if (made.has(dir)) return;
    await fs.mkdir(dir, { recursive: true });
    made.add(dir);
  }

  return {
    async put(bytes: Buffer, knownSha?: string): Promise<string> {
      if (knownSha !== undefined) checkKey(knownSha);
      const sha = knownSha ?? sha256Hex(bytes);
      const target = pathFor(sha);
      if (await exists(target)) return sha;
      const tmp = path.join(tmpDir, `${sha}.${process.pid}.${randomBytes(6).toString('hex')}`);
      try {
        // 'wx': never follow or overwrite; flush: fsync before the promise settles (Node ≥ 20.10).
        const write = async () => {
          await ensureDir(tmpDir);
          await ensureDir(path.dirname(target));
          await fs.writeFile(tmp, bytes, { flag: 'wx', mode: 0o600, flush: fsync });
          await fs.rename(tmp, target);
        };
        try {
          await write();
        } catch (err) {
          if (!isNotFound(err)) throw err;
          // A folder we remembered was removed behind our back (an operator cleaning up): make it again.
          made.clear();
          await fs.rm(tmp, { force: true });
          await write();
        }
      } catch (err) {
        await fs.rm(tmp, { force: true }).catch(() => undefined);
        throw new IngestError('BLOB_IO', `cannot store blob ${sha}: ${(err as Error).message}`, { cause: err });
      }
      return sha;
    },

    async get(sha256: string): Promise<Buffer> {
      checkKey(sha256);
      try {
        return await fs.readFile(pathFor(sha256));
      } catch (err) {
        if (isNotFound(err)) throw new IngestError('BLOB_NOT_FOUND', `blob ${sha256} not found`, { cause: err });
        throw new IngestError('BLOB_IO', `cannot read blob ${sha256}: ${(err as Error).message}`, { cause: err });
      }
    },

    async has(sha256: string): Promise<boolean> {
      checkKey(sha256);
      return exists(pathFor(sha256));
    },

    createReadStream(sha256: string): NodeJS.ReadableStream {
      checkKey(sha256);
      return createReadStream(pathFor(sha256));
    },
  };
}
