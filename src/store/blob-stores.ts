import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  blobRootIn,
  createDiskBlobStore,
  createRoutedBlobStore,
  createS3BlobStore,
  type BlobStore,
  type BlobTarget,
  type S3BlobStore,
} from '../ingest/index.ts';
import { dbBlobIndex } from './blob-index.ts';
import { dbObjectIndex } from './blob-objects.ts';

export interface BlobStores {
  /** What everything reads and writes through (src/ingest/routed-blob-store.ts). */
  blobs: BlobStore;
  /** The data dir's pack store and its root, always open: blobs stored there before stay readable. */
  disk: BlobStore;
  diskRoot: string;
  /** The object store TIDINGS_BLOB_URL names, or null. */
  objects: S3BlobStore | null;
  close(): void;
}

/** The blob stores of a data dir and a blob target, indexed in `db`: the server and the CLI share this. */
export function openBlobStores(db: Kysely<Database>, dataDir: string, target: BlobTarget): BlobStores {
  const diskRoot = blobRootIn(dataDir);
  const objectIndex = dbObjectIndex(db);
  const objects = target.kind === 's3' ? createS3BlobStore(target, { index: objectIndex }) : null;
  const disk = createDiskBlobStore(diskRoot, { index: dbBlobIndex(db), elsewhere: objects ? (sha) => objects.get(sha) : undefined });
  return {
    blobs: createRoutedBlobStore({ disk, objects, inObjectStore: objectIndex.has }),
    disk,
    diskRoot,
    objects,
    close: () => objects?.close(),
  };
}
