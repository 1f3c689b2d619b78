import path from 'node:path';
import type { Config } from '../app/config.ts';
import { openDatabase, redactUrl } from '../db/index.ts';
import { blobRootIn, describeBlobTarget, IngestError, parseBlobUrl, type S3Target } from '../ingest/index.ts';
import { OpsError } from '../ops/errors.ts';
import { type DataDirTarget, moveToPostgres, type MoveBlobsAlong } from '../ops/move-to-postgres.ts';
import { progress } from './blobs.ts';
import { CliError } from './cli-error.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * tidings db move-to-postgres --to postgres://… [--with-blobs --blob-url s3://…]: the embedded database
 * of the data dir into PostgreSQL, and with --with-blobs its mail blobs into a bucket.
 */
export async function runDbMoveToPostgres(
  config: Config,
  values: { to?: string; 'with-blobs'?: boolean; 'blob-url'?: string },
): Promise<number> {
  if (config.databaseUrl)
    throw new CliError('DATABASE_URL is set: this Tidings already runs on PostgreSQL. Unset it to move the embedded database.');
  const to = values.to;
  if (!to || !/^postgres(ql)?:\/\//.test(to))
    throw new CliError('--to: give the PostgreSQL database to move into, e.g. --to postgres://tidings@db:5432/tidings');
  const bucket = values['with-blobs'] ? blobTargetOf(values['blob-url'], config.dataDir) : null;
  if (!bucket && values['blob-url'] !== undefined) throw new CliError('--blob-url goes with --with-blobs');
  // The embedded database admits one process: a running server makes this fail with a message naming it.
  const source = await openDatabase({ databaseUrl: null, dataDir: config.dataDir });
  try {
    const target = await openDatabase({ databaseUrl: to, dataDir: config.dataDir });
    try {
      console.log(`Moving the embedded database in ${config.dataDir} to ${redactUrl(to)}…`);
      const blobs: MoveBlobsAlong | undefined = bucket ? { dataDir: config.dataDir, to: bucket, progress } : undefined;
      const report = await moveToPostgres({
        source: source.db,
        target: target.db,
        onTable: (r) => console.log(`  ${r.table}: ${r.rows} row(s), checksum ${r.checksum.slice(0, 12)} verified`),
        onPhase: (phase) => {
          if (phase === 'resume_blobs')
            console.log('An earlier run copied the tables (the target holds what the source does); going on with the blobs.');
          if (bucket)
            console.log(
              `Blobs go to ${bucket.kind === 'data_dir' ? blobRootIn(bucket.dataDir) : describeBlobTarget(bucket)} once the tables are copied.`,
            );
        },
        onTables: (tables) => {
          const rows = tables.reduce((n, r) => n + r.rows, 0);
          console.log(`Moved ${tables.length} tables, ${rows} rows; every table's count and checksum match.`);
        },
        ...(blobs && { blobs }),
      }).catch((err: unknown) => {
        // The code is what scripts and the docs go by; the sentence is for the person at the terminal.
        if (err instanceof OpsError || err instanceof IngestError) throw new CliError(`${err.message} (${err.code})`);
        throw err;
      });
      const b = report.blobs;
      if (b && bucket?.kind === 'data_dir') {
        console.log(`Copied ${mb(b.movedBytes)} of blob files to ${blobRootIn(bucket.dataDir)}, each synced to disk.`);
        console.log(`Read back ${b.total} blob(s), ${mb(b.totalBytes)}, each verified by its SHA-256: as many as the data dir holds.`);
      } else if (b) {
        console.log(`Moved ${b.moved} blob(s), ${mb(b.movedBytes)}, each read back from the bucket and verified by its SHA-256.`);
        console.log(`The bucket now holds ${b.total} blob(s), ${mb(b.totalBytes)}: as many as the data dir had; none left on disk.`);
      }
      console.log('Next:');
      const key = config.masterKey ? 'the same TIDINGS_MASTER_KEY' : `a copy of ${path.join(config.dataDir, 'master.key')} in its data dir`;
      if (bucket?.kind === 'data_dir') {
        console.log(
          `  1. Start Tidings with DATABASE_URL=${redactUrl(to)}, TIDINGS_DATA_DIR=${bucket.dataDir} (moved to another machine if you like), TIDINGS_BLOB_URL unset, and ${key} (stored secrets decrypt only with it).`,
        );
      } else if (bucket) {
        console.log(
          `  1. Start Tidings, here or on another machine with a data dir of its own, with DATABASE_URL=${redactUrl(to)}, TIDINGS_BLOB_URL set to the --blob-url given, and ${key} (stored secrets decrypt only with it).`,
        );
      } else {
        console.log(
          `  1. Start Tidings with DATABASE_URL=${redactUrl(to)} (and the same TIDINGS_DATA_DIR: mail blobs and master.key stay there).`,
        );
      }
      console.log(
        `  2. Once it runs well, the embedded database (${config.dataDir}/pglite)${bucket ? ' and its blobs' : ''} can be archived or removed; nothing there was changed.`,
      );
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

function blobTargetOf(url: string | undefined, dataDir: string): S3Target | DataDirTarget {
  if (!url)
    throw new CliError(
      '--with-blobs needs --blob-url: s3://bucket/prefix?endpoint=… or the new data dir, e.g. /srv/tidings (docs/operations.md)',
    );
  // A path: the data dir the moved Tidings will use (on this machine, or to be carried to another one).
  if (/^(\/|\.\.?\/)/.test(url)) {
    const target = path.resolve(url);
    if (target === path.resolve(dataDir))
      throw new CliError(
        '--blob-url: that is this data dir, whose blobs stay where they are: move without --with-blobs, or give a new data dir',
      );
    return { kind: 'data_dir', dataDir: target };
  }
  let target: ReturnType<typeof parseBlobUrl>;
  try {
    target = parseBlobUrl(url);
  } catch (err) {
    if (err instanceof IngestError) throw new CliError(`--blob-url: ${err.message.replace(/^TIDINGS_BLOB_URL: /, '')} (${err.code})`);
    throw err;
  }
  if (target.kind !== 's3')
    throw new CliError('--blob-url: give an s3:// bucket or the path of the new data dir (an absolute path, or one starting with ./)');
  return target;
}
