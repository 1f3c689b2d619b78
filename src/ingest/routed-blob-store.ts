import type { BlobLocation, BlobStore } from './blob-store.ts';
import { IngestError } from './errors.ts';
import type { S3BlobStore } from './s3-blob-store.ts';

export interface RoutedBlobStoreOptions {
  /** The data dir's packs: always there, since blobs stored before an object store was set stay readable. */
  disk: BlobStore;
  /** The bucket of TIDINGS_BLOB_URL; null when it is unset. New blobs go there when set. */
  objects: S3BlobStore | null;
  /** Disk-only processes: whether the database says a blob is in object storage (for a clear error). */
  inObjectStore?: (sha256: string) => Promise<boolean>;
}

const notFound = (err: unknown) => err instanceof IngestError && err.code === 'blob_not_found';

/**
 * The one BlobStore everything uses, over both stores: writes go to the object store when one is set,
 * else to disk; reads try the write store first and then the other one, so a blob is found wherever
 * it is while `tidings blobs move` moves blobs between them (it switches the index per blob, and a
 * reader that missed a blob in the one store finds it in the other on the second look).
 */
export function createRoutedBlobStore(opts: RoutedBlobStoreOptions): BlobStore {
  const { disk, objects } = opts;
  const order: BlobStore[] = objects ? [objects, disk] : [disk];

  async function tryEach(sha256: string): Promise<Buffer | null> {
    for (const store of order) {
      try {
        return await store.get(sha256);
      } catch (err) {
        if (!notFound(err)) throw err;
      }
    }
    return null;
  }

  return {
    put: (bytes, sha256) => (objects ?? disk).put(bytes, sha256),

    async get(sha256: string): Promise<Buffer> {
      // Twice: a move may have taken the blob from the second store to the first between the looks.
      const found = (await tryEach(sha256)) ?? (objects ? await tryEach(sha256) : null);
      if (found) return found;
      if (!objects && (await opts.inObjectStore?.(sha256)))
        throw new IngestError('blob_store_unavailable', `blob ${sha256} is in object storage, and TIDINGS_BLOB_URL is not set here`);
      throw new IngestError('blob_not_found', `blob ${sha256} not found`);
    },

    async has(sha256: string): Promise<boolean> {
      for (const store of order) if (await store.has(sha256)) return true;
      return false;
    },

    // Only the disk store's parse workers hand back locations to flush.
    flush: (locations: readonly BlobLocation[]) => disk.flush(locations),
  };
}
