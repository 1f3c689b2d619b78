import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { migrateToLatest } from '../db/index.ts';
import { blobRootIn, describeBlobTarget, IngestError, sha256Hex, type S3BlobStore, type S3Target } from '../ingest/index.ts';
import { blobCounts, legacyFiles, moveBlobs, type BlobMoveReport } from '../store/blob-move.ts';
import { openBlobStores } from '../store/blob-stores.ts';
import { listFiles } from './backup.ts';
import { copyDatabase, type TableReport } from './copy-database.ts';
import { OpsError } from './errors.ts';
import { appliedMigrations, isEmptyDatabase, MIGRATION_TABLES, tableFingerprint, tablesInDependencyOrder } from './tables.ts';

/** The data dir of the target's Tidings (on another machine, say): its blobs folder gets the source's. */
export interface DataDirTarget {
  kind: 'data_dir';
  dataDir: string;
}

/** The blobs half of a move: the source's data dir, and the bucket or data dir the target's Tidings will read. */
export interface MoveBlobsAlong {
  dataDir: string;
  to: S3Target | DataDirTarget;
  /** Called after each blob with the counts so far. */
  progress?: (report: BlobMoveReport) => void | Promise<void>;
}

export interface MoveReport {
  /** The tables copied; null when an earlier run had copied them and this one went on with the blobs. */
  tables: TableReport[] | null;
  blobs: {
    /** Copied, verified and switched by this run. */
    moved: number;
    movedBytes: number;
    /** What the target's index now holds, every one in the bucket: the same count as the source's. */
    total: number;
    totalBytes: number;
  } | null;
}

/** The tables the blob phase changes: a target whose other tables match the source is a move under way. */
const BLOB_INDEX_TABLES = ['blob_locations', 'blob_objects'];

/**
 * Moves an embedded database into an empty PostgreSQL database: both migrated to this version, every
 * table copied in one snapshot and verified (rows and checksum per table). The source is only read.
 *
 * With `blobs`, every blob the source indexes (and the files of the older one-file-per-blob layout) is
 * then copied into the bucket by `tidings blobs move`'s machinery run on the target database: each one
 * read back and checked by its SHA-256, and switched in the target's index from the source's packs to
 * the bucket, one at a time. That half is resumable: run again, it finds the target's tables equal to
 * the source's (all but the blob index) and goes on with the blobs still indexed on disk. With a data
 * dir as the target instead, the blobs folder is copied and read back there (copyBlobFolder).
 */
export async function moveToPostgres(opts: {
  source: Kysely<Database>;
  target: Kysely<Database>;
  onTable?: (report: TableReport) => void;
  /** Called once it is known whether the tables are copied now or were by an earlier run. */
  onPhase?: (phase: 'copy_tables' | 'resume_blobs') => void;
  /** Called when every table is copied and verified, before the blobs. */
  onTables?: (reports: TableReport[]) => void;
  blobs?: MoveBlobsAlong;
}): Promise<MoveReport> {
  const to = opts.blobs?.to;
  const stores = opts.blobs && to?.kind === 's3' ? openBlobStores(opts.target, opts.blobs.dataDir, to) : null;
  try {
    // Before anything is written: a bucket that does not answer or refuses writes ends the move here.
    if (stores) await probeBucket(stores.objects!);
    if (to?.kind === 'data_dir') await probeDataDir(to.dataDir);
    await migrateToLatest(opts.source);
    const resume = !(await isEmptyDatabase(opts.target));
    if (resume && !(opts.blobs && (await isMoveUnderWay(opts.source, opts.target)))) {
      throw new OpsError(
        'target_not_empty',
        'The target database already holds Tidings users or mailboxes, or tables that are not Tidings’: give an empty database (createdb tidings).',
      );
    }
    let tables: TableReport[] | null = null;
    if (!resume) {
      if (opts.blobs) await checkSourceBlobs(opts.source, blobRootIn(opts.blobs.dataDir));
      if (to?.kind === 'data_dir') await refuseTargetBlobs(to.dataDir);
      await migrateToLatest(opts.target);
      const [migFrom, migTo] = [await appliedMigrations(opts.source), await appliedMigrations(opts.target)];
      if (migFrom.join() !== migTo.join()) {
        throw new OpsError('migrations_differ', `The two databases are at different migrations (${migFrom.at(-1)} and ${migTo.at(-1)}).`);
      }
      opts.onPhase?.('copy_tables');
      tables = await copyDatabase(opts);
      opts.onTables?.(tables);
    } else {
      opts.onPhase?.('resume_blobs');
    }
    if (!opts.blobs) return { tables, blobs: null };
    if (opts.blobs.to.kind === 'data_dir')
      return { tables, blobs: await copyBlobFolder(opts.source, opts.target, opts.blobs, opts.blobs.to) };
    return { tables, blobs: await moveBlobsAlong(opts.source, opts.target, opts.blobs, stores!) };
  } finally {
    stores?.close();
  }
}

async function moveBlobsAlong(
  source: Kysely<Database>,
  target: Kysely<Database>,
  along: MoveBlobsAlong,
  stores: ReturnType<typeof openBlobStores>,
): Promise<NonNullable<MoveReport['blobs']>> {
  const diskRoot = blobRootIn(along.dataDir);
  const objects = stores.objects!;
  const report = await moveBlobs({
    db: target,
    diskRoot,
    disk: stores.disk,
    objects,
    to: 's3',
    keepLegacyFiles: true,
    ...(along.progress && { progress: along.progress }),
  });
  if (report.damaged.length) {
    throw new OpsError(
      'blob_missing',
      `${report.damaged.length} blob(s) in ${diskRoot} are missing or do not hold the bytes their key names (${report.damaged.slice(0, 3).join(', ')}); every other blob is in the bucket. Put them back (from a backup) and run the same command again to move the rest; nothing else is copied twice.`,
    );
  }
  // Blobs the source had in a bucket already (an embedded Tidings with TIDINGS_BLOB_URL) must be in this one.
  const fromBucket = await source.selectFrom('blob_objects').select('sha256').execute();
  const absent: string[] = [];
  for (const { sha256 } of fromBucket) if (!(await objects.has(sha256))) absent.push(sha256);
  if (absent.length) {
    throw new OpsError(
      'blob_missing',
      `${absent.length} blob(s) the embedded database lists in object storage are not in ${describeBlobTarget(objects.target)} (${absent.slice(0, 3).join(', ')}): give the bucket the source used (its TIDINGS_BLOB_URL), or copy them into this one and run the same command again.`,
    );
  }
  const after = await blobCounts(target);
  const expected = await sourceBlobCount(source, diskRoot);
  const unindexed = await namedButNotInBucket(target);
  if (after.disk !== 0 || after.objects !== expected || unindexed.length) {
    throw new OpsError(
      'blob_count_mismatch',
      `the source holds ${expected} blob(s); the target's index lists ${after.objects} in the bucket, ${after.disk} still on disk, and ${unindexed.length} named blob(s) in neither${unindexed.length ? ` (${unindexed.slice(0, 3).join(', ')})` : ''}. Run the same command again.`,
    );
  }
  const bytes = await target
    .selectFrom('blob_objects')
    .select((eb) => eb.fn.sum<string | number>('length').as('n'))
    .executeTakeFirstOrThrow();
  return { moved: report.moved, movedBytes: report.bytes, total: after.objects, totalBytes: Number(bytes.n ?? 0) };
}

/** Distinct blobs of the source: indexed in its packs or its bucket, or files of the older layout. */
async function sourceBlobCount(source: Kysely<Database>, diskRoot: string): Promise<number> {
  const indexed = await sql<{ n: number }>`select count(*)::int as n from
    (select sha256 from blob_locations union select sha256 from blob_objects) k`.execute(source);
  let legacyOnly = 0;
  for (const file of await legacyFiles(diskRoot)) {
    const sha = path.basename(file);
    const row =
      await sql`select 1 from blob_locations where sha256 = ${sha} union all select 1 from blob_objects where sha256 = ${sha}`.execute(
        source,
      );
    if (!row.rows.length) legacyOnly++;
  }
  return Number(indexed.rows[0]!.n) + legacyOnly;
}

/** A target this move already wrote: every table but the blob index holds what the source's does. */
async function isMoveUnderWay(source: Kysely<Database>, target: Kysely<Database>): Promise<boolean> {
  const [from, to] = [await appliedMigrations(source), await appliedMigrations(target)];
  if (from.join() !== to.join()) return false;
  return source
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((src) =>
      target.transaction().execute(async (dst) => {
        for (const table of await tablesInDependencyOrder(src)) {
          if (BLOB_INDEX_TABLES.includes(table.name) || MIGRATION_TABLES.includes(table.name)) continue;
          const [a, b] = [await tableFingerprint(src, table.name), await tableFingerprint(dst, table.name)];
          if (a.rows !== b.rows || a.checksum !== b.checksum) return false;
        }
        return true;
      }),
    );
}

/** Every blob a message, attachment or outbox item names (src/store/blob-index.ts, blobIsNamed). */
const namedBlobs = sql`(select raw_sha256 as sha from messages
  union select sha256 from attachments
  union select sha256 from outbox_uploads
  union select raw_sha256 from outbox_messages where raw_sha256 is not null
  union select e->>'sha256' from outbox_messages o, jsonb_array_elements(o.attachments) e)`;

async function namedButNotInBucket(db: Kysely<Database>): Promise<string[]> {
  const res = await sql<{ sha: string }>`select n.sha from ${namedBlobs} n
    where n.sha is not null and not exists (select 1 from blob_objects b where b.sha256 = n.sha)
    order by n.sha limit 10`.execute(db);
  return res.rows.map((r) => r.sha);
}

/** Refuses, before anything is written, a source whose named blobs are indexed nowhere and not in the older layout. */
async function checkSourceBlobs(source: Kysely<Database>, diskRoot: string): Promise<void> {
  const res = await sql<{ sha: string }>`select n.sha from ${namedBlobs} n
    where n.sha is not null
      and not exists (select 1 from blob_locations l where l.sha256 = n.sha)
      and not exists (select 1 from blob_objects b where b.sha256 = n.sha)
    order by n.sha`.execute(source);
  const missing: string[] = [];
  for (const { sha } of res.rows) {
    const legacy = path.join(diskRoot, sha.slice(0, 2), sha.slice(2, 4), sha);
    if (!(await fs.stat(legacy).catch(() => null))) missing.push(sha);
  }
  if (missing.length) {
    throw new OpsError(
      'blob_missing',
      `${missing.length} blob(s) that messages or attachments name are not in ${diskRoot} (${missing.slice(0, 3).join(', ')}): run the move on the data dir this database belongs to. Nothing was written to the target.`,
    );
  }
}

/** Writes, reads back and deletes a small object of its own: the bucket answers, takes writes and returns them whole. */
async function probeBucket(objects: S3BlobStore): Promise<void> {
  const bytes = Buffer.from(`tidings move probe ${randomBytes(16).toString('hex')}`);
  const sha = sha256Hex(bytes);
  try {
    await objects.upload(sha, bytes);
    await objects.get(sha);
    await objects.remove([sha]);
  } catch (err) {
    if (err instanceof IngestError) {
      // The code the server answers when the same store is down (src/ingest/errors.ts).
      throw new IngestError(
        'blob_store_unavailable',
        `${err.message}. Check --blob-url (bucket, endpoint, credentials) and that the bucket exists; nothing was written.`,
      );
    }
    throw err;
  }
}

/** The target data dir exists or can be made, and takes files. */
async function probeDataDir(dataDir: string): Promise<void> {
  const probe = path.join(blobRootIn(dataDir), `.move-probe-${randomBytes(6).toString('hex')}`);
  try {
    await fs.mkdir(blobRootIn(dataDir), { recursive: true });
    await fs.writeFile(probe, 'probe');
    await fs.rm(probe);
  } catch (err) {
    throw new IngestError(
      'blob_store_unavailable',
      `cannot write in ${blobRootIn(dataDir)}: ${(err as Error).message}; nothing was written.`,
    );
  }
}

/** A fresh move refuses a data dir that already holds blobs (another Tidings'): it would mix them. */
async function refuseTargetBlobs(dataDir: string): Promise<void> {
  const held = (await fs.readdir(blobRootIn(dataDir)).catch(() => [] as string[])).filter((n) => !n.startsWith('.move-probe-'));
  if (held.length) {
    throw new OpsError(
      'blob_target_not_empty',
      `${blobRootIn(dataDir)} already holds blobs: give a new data dir (or an empty one) for the moved Tidings; nothing was written.`,
    );
  }
}

/**
 * Disk to disk: the source's blobs folder, file for file (packs as they are, so every location in the
 * copied index holds at the new place), each file synced; then every blob the target's index lists, and
 * every file of the older layout, is read at the new place through a disk store on the target database
 * and checked by its SHA-256 (a raw source kept without its attachments is rebuilt, as a server reads
 * it). Run again, it copies the files again.
 */
async function copyBlobFolder(
  source: Kysely<Database>,
  target: Kysely<Database>,
  along: MoveBlobsAlong,
  to: DataDirTarget,
): Promise<NonNullable<MoveReport['blobs']>> {
  const [from, into] = [blobRootIn(along.dataDir), blobRootIn(to.dataDir)];
  let copiedBytes = 0;
  for (const rel of await listFiles(from)) {
    const dst = path.join(into, rel);
    await fs.mkdir(path.dirname(dst), { recursive: true });
    await fs.copyFile(path.join(from, rel), dst);
    const handle = await fs.open(dst, 'r');
    try {
      await handle.sync();
      copiedBytes += (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }
  const stores = openBlobStores(target, to.dataDir, { kind: 'disk' });
  const damaged: string[] = [];
  let total = 0;
  let totalBytes = 0;
  const check = async (sha: string) => {
    try {
      const bytes = await stores.disk.get(sha);
      if (sha256Hex(bytes) !== sha) throw new IngestError('blob_io', 'wrong bytes');
      total++;
      totalBytes += bytes.length;
      await along.progress?.({ moved: total, bytes: totalBytes, damaged });
    } catch (err) {
      if (!(err instanceof IngestError)) throw err;
      damaged.push(sha);
    }
  };
  try {
    let after = '';
    for (;;) {
      const keys = await target
        .selectFrom('blob_locations')
        .select('sha256')
        .where('sha256', '>', after)
        .orderBy('sha256')
        .limit(200)
        .execute();
      if (!keys.length) break;
      for (const { sha256 } of keys) await check(sha256);
      after = keys.at(-1)!.sha256;
    }
    for (const file of await legacyFiles(into)) {
      const sha = path.basename(file);
      const indexed = await target.selectFrom('blob_locations').select('sha256').where('sha256', '=', sha).executeTakeFirst();
      if (!indexed) await check(sha);
    }
  } finally {
    stores.close();
  }
  if (damaged.length) {
    throw new OpsError(
      'blob_missing',
      `${damaged.length} blob(s) do not read back from ${into} as their key names (${damaged.slice(0, 3).join(', ')}): they are missing or damaged in ${from} too, or the copy failed. Put them back (from a backup) and run the same command again.`,
    );
  }
  const expected = (await sourceBlobCount(source, from)) - (await blobCounts(source)).objects;
  if (total !== expected) {
    throw new OpsError(
      'blob_count_mismatch',
      `the source holds ${expected} blob(s) on disk; ${total} read back from ${into}. Run the same command again.`,
    );
  }
  return { moved: total, movedBytes: copiedBytes, total, totalBytes };
}
