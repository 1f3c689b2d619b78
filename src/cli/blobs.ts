import type { Config } from '../app/config.ts';
import { blobRootIn, describeBlobTarget, parseBlobUrl, type S3Target } from '../ingest/index.ts';
import { blobCounts, moveBlobs, type BlobMoveReport } from '../store/blob-move.ts';
import { sweepObjects } from '../store/blob-objects.ts';
import { openBlobStores } from '../store/blob-stores.ts';
import { compactPacks } from '../store/pack-compaction.ts';
import { CliError } from './cli-error.ts';
import { withDatabase } from './with-database.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * One compaction run now (and the object store's sweep, with TIDINGS_BLOB_URL), as the server runs one
 * every 6 hours: for an admin who deleted a large mailbox and wants the space back without waiting. Safe beside a server on the same PostgreSQL
 * database (compaction takes the same locks there).
 */
export async function runBlobsCompact(config: Config): Promise<number> {
  return withDatabase(config, async (db) => {
    const r = await compactPacks({ db, root: blobRootIn(config.dataDir) });
    console.log(`Checked ${r.packsChecked} pack(s) old enough to compact (packs younger than 2 hours are left alone).`);
    console.log(
      `Rewrote ${r.packsRewritten} pack(s): ${r.recordsMoved} blob(s) still in use copied, ${r.recordsDropped} no longer in use dropped.`,
    );
    if (r.packsSkipped) console.log(`Left ${r.packsSkipped} pack(s) for the next run: a message named one of their blobs meanwhile.`);
    console.log(`Deleted ${r.packsRemoved} pack file(s) rewritten more than a day ago: ${mb(r.bytesRemoved)} given back.`);
    if (r.packsRewritten)
      console.log(
        'The files of the packs rewritten now are deleted by a run a day from now, so a backup taken before this run stays whole (docs/operations.md, "Disk space").',
      );
    if (config.blobTarget.kind === 's3') {
      const stores = openBlobStores(db, config.dataDir, config.blobTarget);
      try {
        const swept = await sweepObjects({ db, objects: stores.objects! });
        console.log(`Deleted ${swept} object(s) no message names from ${describeBlobTarget(config.blobTarget)}.`);
      } finally {
        stores.close();
      }
    }
    return 0;
  });
}

/** Test only: stop (and wait to be killed) after this many blobs, to prove a killed move resumes. */
const HOLD_AFTER = Number(process.env.TIDINGS_TEST_BLOBS_MOVE_HOLD_AFTER ?? 0);

/**
 * `tidings blobs move --to <blob-url|disk> [--from <blob-url>]`: moves every blob into the data dir's
 * packs or an S3-compatible bucket (src/store/blob-move.ts), printing counts. The bucket on the other
 * side of a move to disk is `--from`, else TIDINGS_BLOB_URL. Safe beside a running server on the same
 * PostgreSQL database; run it again after an interruption and it continues.
 */
export async function runBlobsMove(config: Config, values: { to?: string; from?: string }): Promise<number> {
  if (!values.to) throw new CliError('blobs move needs --to disk or --to s3://bucket/prefix?endpoint=… (docs/blob-storage.md)');
  const to = parseBlobUrl(values.to);
  const bucket: S3Target | null =
    to.kind === 's3' ? to : values.from ? s3Only(parseBlobUrl(values.from)) : config.blobTarget.kind === 's3' ? config.blobTarget : null;
  if (!bucket) throw new CliError('blobs move --to disk needs the bucket to move from: --from s3://… or TIDINGS_BLOB_URL');
  return withDatabase(config, async (db) => {
    const stores = openBlobStores(db, config.dataDir, bucket);
    try {
      const target = to.kind === 's3' ? describeBlobTarget(bucket) : 'disk (the data dir)';
      const before = await blobCounts(db);
      console.log(
        `Moving blobs to ${target}: ${to.kind === 's3' ? before.disk : before.objects} to go (disk ${before.disk}, object store ${before.objects}).`,
      );
      const report = await moveBlobs({
        db,
        diskRoot: blobRootIn(config.dataDir),
        disk: stores.disk,
        objects: stores.objects!,
        to: to.kind,
        progress: (r) => progress(r),
      });
      const after = await blobCounts(db);
      console.log(`Moved ${report.moved} blob(s), ${mb(report.bytes)}, each verified by its SHA-256 after the copy.`);
      console.log(`Indexed now: disk ${after.disk}, object store ${after.objects}.`);
      if (report.damaged.length) {
        console.log(
          `Left ${report.damaged.length} blob(s) whose bytes are missing or do not match their key: ${report.damaged.slice(0, 5).join(', ')}`,
        );
        return 1;
      }
      console.log(
        to.kind === 's3'
          ? 'Every process now needs TIDINGS_BLOB_URL set to this bucket (docs/blob-storage.md).'
          : 'Unset TIDINGS_BLOB_URL and restart; run this again after the restart for blobs stored meanwhile (docs/blob-storage.md).',
      );
      return 0;
    } finally {
      stores.close();
    }
  });
}

function s3Only(target: ReturnType<typeof parseBlobUrl>): S3Target {
  if (target.kind !== 's3') throw new CliError('--from must be an s3:// URL');
  return target;
}

/** Progress lines of a blob move (this command's and `db move-to-postgres --with-blobs`'), and the test hold. */
export async function progress(r: BlobMoveReport): Promise<void> {
  if (r.moved % 500 === 0) console.log(`… ${r.moved} moved (${mb(r.bytes)})`);
  if (HOLD_AFTER && r.moved >= HOLD_AFTER) {
    console.log(`held after ${r.moved}`);
    await new Promise(() => undefined);
  }
}
