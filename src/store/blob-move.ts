import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { PackWriter, readPackRecord, syncPacks } from '../ingest/blob-pack.ts';
import { IngestError, sha256Hex, type BlobStore, type S3BlobStore } from '../ingest/index.ts';
import { insertBlobLocations } from './blob-index.ts';

/**
 * `tidings blobs move`: copies every blob from one store to the other while Tidings runs, one at a
 * time: read, write, read back and check its SHA-256, then switch the index (blob_locations for the
 * disk packs, blob_objects for the bucket) in one transaction. Run again after a kill and it goes on
 * with what is still indexed in the source store; a blob copied but not switched is copied again
 * (the same key, the same bytes). Readers find each blob in whichever store the index names, on their
 * second look if it moved between (src/ingest/routed-blob-store.ts).
 */

export interface BlobMoveOptions {
  db: Kysely<Database>;
  /** The data dir's blob root (packs, and the one-file-per-blob layout of older versions). */
  diskRoot: string;
  /** Reads the disk store (dehydrated raw sources come back whole). */
  disk: BlobStore;
  objects: S3BlobStore;
  to: 'disk' | 's3';
  /**
   * Leave the one-file-per-blob files of older versions in place after copying them (default: delete
   * each once its object is indexed). For a database move, whose source data dir is only read.
   */
  keepLegacyFiles?: boolean;
  /** fsync pack appends (default true). */
  fsync?: boolean;
  /** Called after each blob, with the counts so far. */
  progress?: (report: BlobMoveReport) => void | Promise<void>;
}

export interface BlobMoveReport {
  /** Blobs copied, verified and switched to the target by this run. */
  moved: number;
  bytes: number;
  /** Blobs left where they are because their bytes do not match their key (a damaged store). */
  damaged: string[];
}

const PAGE = 200;

/** Keys still indexed in a table, in key order after `after`. */
async function nextKeys(db: Kysely<Database>, table: 'blob_locations' | 'blob_objects', after: string): Promise<string[]> {
  const rows = await db.selectFrom(table).select('sha256').where('sha256', '>', after).orderBy('sha256').limit(PAGE).execute();
  return rows.map((r) => r.sha256);
}

/** Blobs of the one-file-per-blob layout (`<root>/ab/cd/<sha256>`), which have no index row. */
export async function legacyFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const hex2 = /^[0-9a-f]{2}$/;
  for (const a of await fs.readdir(root).catch(() => [] as string[])) {
    if (!hex2.test(a)) continue;
    for (const b of await fs.readdir(path.join(root, a)).catch(() => [] as string[])) {
      if (!hex2.test(b)) continue;
      for (const name of await fs.readdir(path.join(root, a, b)).catch(() => [] as string[]))
        if (/^[0-9a-f]{64}$/.test(name) && name.startsWith(a + b)) found.push(path.join(root, a, b, name));
    }
  }
  return found.sort();
}

async function toObjects(opts: BlobMoveOptions, report: BlobMoveReport): Promise<void> {
  const { db, objects } = opts;
  const copy = async (sha: string): Promise<Buffer | null> => {
    let bytes: Buffer;
    try {
      bytes = await opts.disk.get(sha);
    } catch (err) {
      // A location that points at the wrong bytes, or a pack gone: nothing to copy, leave it to a look by hand.
      if (err instanceof IngestError && (err.code === 'blob_not_found' || err.code === 'blob_io')) {
        report.damaged.push(sha);
        return null;
      }
      throw err;
    }
    if (sha256Hex(bytes) !== sha) {
      report.damaged.push(sha);
      return null;
    }
    await objects.upload(sha, bytes);
    await objects.get(sha); // read back: get checks the SHA-256 of what the bucket holds
    return bytes;
  };
  let after = '';
  for (let keys = await nextKeys(db, 'blob_locations', after); keys.length; keys = await nextKeys(db, 'blob_locations', after)) {
    for (const sha of keys) {
      after = sha;
      const bytes = await copy(sha);
      if (!bytes) continue;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('blob_objects')
          .values({ sha256: sha, length: bytes.length })
          .onConflict((oc) => oc.column('sha256').doUpdateSet({ touched_at: sql`now()` }))
          .execute();
        await trx.deleteFrom('blob_locations').where('sha256', '=', sha).execute();
      });
      report.moved++;
      report.bytes += bytes.length;
      await opts.progress?.(report);
    }
  }
  for (const file of await legacyFiles(opts.diskRoot)) {
    const sha = path.basename(file);
    const bytes = await copy(sha);
    if (!bytes) continue;
    await db
      .insertInto('blob_objects')
      .values({ sha256: sha, length: bytes.length })
      .onConflict((oc) => oc.column('sha256').doUpdateSet({ touched_at: sql`now()` }))
      .execute();
    if (!opts.keepLegacyFiles) await fs.rm(file, { force: true });
    report.moved++;
    report.bytes += bytes.length;
    await opts.progress?.(report);
  }
}

async function toDisk(opts: BlobMoveOptions, report: BlobMoveReport): Promise<void> {
  const { db, objects } = opts;
  const fsync = opts.fsync ?? true;
  const writer = new PackWriter(opts.diskRoot, { fsync });
  try {
    let after = '';
    for (let keys = await nextKeys(db, 'blob_objects', after); keys.length; keys = await nextKeys(db, 'blob_objects', after)) {
      for (const sha of keys) {
        after = sha;
        let bytes: Buffer;
        try {
          bytes = await objects.get(sha);
        } catch (err) {
          // Indexed but not in the bucket, or not what its key says: nothing to copy, leave it to a look by hand.
          if (err instanceof IngestError && (err.code === 'blob_not_found' || err.code === 'blob_io')) {
            report.damaged.push(sha);
            continue;
          }
          throw err;
        }
        const loc = await writer.append(sha, bytes);
        if (fsync) await syncPacks(opts.diskRoot, [loc]);
        const back = await readPackRecord(opts.diskRoot, loc);
        if (sha256Hex(back.bytes) !== sha) throw new IngestError('blob_io', `blob ${sha} did not read back from its pack as written`);
        // The row stays locked while its object is deleted, as in the sweep: a writer reusing the blob
        // meanwhile waits, finds no row and uploads it again (blob-objects.ts).
        const switched = await db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('blob_objects').select('sha256').where('sha256', '=', sha).forUpdate().executeTakeFirst();
          if (!row) return false;
          await insertBlobLocations(trx, [loc]);
          await objects.remove([sha]);
          await trx.deleteFrom('blob_objects').where('sha256', '=', sha).execute();
          return true;
        });
        if (!switched) continue;
        report.moved++;
        report.bytes += bytes.length;
        await opts.progress?.(report);
      }
    }
  } finally {
    await writer.close();
  }
}

/** Moves every blob to `opts.to`; see the file's comment. */
export async function moveBlobs(opts: BlobMoveOptions): Promise<BlobMoveReport> {
  const report: BlobMoveReport = { moved: 0, bytes: 0, damaged: [] };
  if (opts.to === 's3') await toObjects(opts, report);
  else await toDisk(opts, report);
  return report;
}

/** How many blobs each store's index holds now. */
export async function blobCounts(db: Kysely<Database>): Promise<{ disk: number; objects: number }> {
  const count = async (table: 'blob_locations' | 'blob_objects') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { disk: await count('blob_locations'), objects: await count('blob_objects') };
}
