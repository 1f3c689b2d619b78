import { createHash } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import type { BlobLocation, BlobStore } from './blob-store.ts';
import { checkBlobKey, sha256Hex } from './blob-store.ts';
import { describeBlobTarget, type S3Target } from './blob-url.ts';
import { IngestError } from './errors.ts';

/**
 * Which blobs the bucket holds, in the database (table blob_objects, src/store/blob-objects.ts). Its
 * `touched_at` is what the sweep of unnamed blobs (src/store/object-sweep.ts) respects: a blob claimed
 * or added lately is never deleted, so a message about to name it finds it.
 */
export interface ObjectIndex {
  /** Marks an indexed blob as just used; false when it is not indexed (or a sweep is deleting it). */
  claim(sha256: string): Promise<boolean>;
  /** Indexes blobs just uploaded, or claims them again when already indexed. */
  add(blobs: ReadonlyArray<{ sha256: string; length: number }>): Promise<void>;
}

export interface S3BlobStore extends BlobStore {
  readonly target: S3Target;
  /** The object's bytes, verified against their key; blob_not_found when absent. */
  get(sha256: string): Promise<Buffer>;
  /** Uploads without asking the index (tools that index themselves: the move). */
  upload(sha256: string, bytes: Buffer): Promise<void>;
  /** Deletes objects; those already gone are fine. */
  remove(sha256s: readonly string[]): Promise<void>;
  close(): void;
}

/** A new S3 client for a target: short timeouts, checksums only where the API requires them. */
export function s3ClientFor(target: S3Target): S3Client {
  return new S3Client({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    forcePathStyle: target.forcePathStyle,
    ...(target.credentials ? { credentials: target.credentials } : {}),
    // MinIO, Ceph RGW, OSS and COS do not all take the SDK's newer default checksums (CRC32 trailers);
    // uploads carry Content-MD5 instead, which every S3-compatible server checks.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
  });
}

function statusOf(err: unknown): number | undefined {
  return (err as S3ServiceException).$metadata?.httpStatusCode;
}

function isMissing(err: unknown): boolean {
  const name = (err as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(err) === 404 && name !== 'NoSuchBucket');
}

/** Anything but "no such object": the store is down, refuses us, or has no such bucket. */
function unavailable(target: S3Target, what: string, err: unknown): IngestError {
  const status = statusOf(err);
  const why = `${(err as Error).name || 'Error'}${status ? ` (HTTP ${status})` : ''}: ${(err as Error).message}`;
  return new IngestError('blob_store_unavailable', `object store ${describeBlobTarget(target)} could not ${what}: ${why}`, {
    cause: err,
  });
}

/**
 * Content-addressed blobs in an S3-compatible bucket, one object per blob at `<prefix>/<sha256>`.
 * Object storage has no append, and needs none: a key is written once (a second PUT of the same key
 * writes the same bytes), so dedup is by key and there are no packs to compact; the sweep deletes the
 * objects of blobs nothing names instead. Raw sources are stored whole (no dehydration).
 */
export function createS3BlobStore(target: S3Target, opts: { index: ObjectIndex; client?: S3Client }): S3BlobStore {
  const client = opts.client ?? s3ClientFor(target);
  const keyOf = (sha: string) => (target.prefix ? `${target.prefix}/${sha}` : sha);

  async function head(sha: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: keyOf(sha) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw unavailable(target, `look up blob ${sha}`, err);
    }
  }

  async function upload(sha: string, bytes: Buffer): Promise<void> {
    checkBlobKey(sha);
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: keyOf(sha),
          Body: bytes,
          ContentLength: bytes.length,
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
          ContentType: 'application/octet-stream',
        }),
      );
    } catch (err) {
      throw unavailable(target, `store blob ${sha}`, err);
    }
  }

  async function get(sha: string): Promise<Buffer> {
    checkBlobKey(sha);
    let bytes: Buffer;
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: keyOf(sha) }));
      bytes = Buffer.from(await res.Body!.transformToByteArray());
    } catch (err) {
      if (isMissing(err)) throw new IngestError('blob_not_found', `blob ${sha} not found`);
      throw unavailable(target, `read blob ${sha}`, err);
    }
    if (sha256Hex(bytes) !== sha) throw new IngestError('blob_io', `object ${sha} does not hold the bytes its key names`);
    return bytes;
  }

  return {
    target,
    get,
    upload,

    async has(sha: string): Promise<boolean> {
      checkBlobKey(sha);
      return head(sha);
    },

    /**
     * Claim first: an indexed blob is then safe from the sweep for its grace period, and the HEAD
     * proves its object is really there (a sweep that died between deleting the object and its row
     * leaves a row without one). Otherwise upload, then index.
     */
    async put(bytes: Buffer, knownSha?: string): Promise<string> {
      if (knownSha !== undefined) checkBlobKey(knownSha);
      const sha = knownSha ?? sha256Hex(bytes);
      if ((await opts.index.claim(sha)) && (await head(sha))) return sha;
      await upload(sha, bytes);
      await opts.index.add([{ sha256: sha, length: bytes.length }]);
      return sha;
    },

    // Parse workers do not upload (the pool hands bytes back for put): there is nothing to flush.
    async flush(_locations: readonly BlobLocation[]): Promise<void> {},

    async remove(sha256s: readonly string[]): Promise<void> {
      for (let i = 0; i < sha256s.length; i += 1000) {
        const chunk = sha256s.slice(i, i + 1000);
        try {
          const res = await client.send(
            new DeleteObjectsCommand({
              Bucket: target.bucket,
              Delete: { Objects: chunk.map((sha) => ({ Key: keyOf(sha) })), Quiet: true },
            }),
          );
          const failed = (res.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
          if (failed.length) throw new Error(`${failed.length} object(s) not deleted: ${failed[0]?.Code} ${failed[0]?.Message}`);
        } catch (err) {
          throw unavailable(target, 'delete blobs', err);
        }
      }
    },

    close: () => client.destroy(),
  };
}
