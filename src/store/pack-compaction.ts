import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  HEADER_BYTES,
  PACK_APPEND_WINDOW_MS,
  PackWriter,
  packCreatedAt,
  packsDir,
  readPackRecord,
  removePack,
  syncPacks,
  type BlobLocation,
} from '../ingest/blob-pack.ts';
import type { S3BlobStore } from '../ingest/index.ts';
import type { Logger } from '../kernel/index.ts';
import { blobIsNamed, lockBlobReferences } from './blob-index.ts';
import { sweepObjects } from './blob-objects.ts';

/**
 * Pack compaction: gives back the disk space of blobs nothing names any more (the raw sources and
 * attachments of deleted messages, of unbound mailboxes, and second copies the index never pointed at).
 *
 * Packs are append-only, so space comes back by rewriting: the still-named records of a pack that is
 * mostly dead (or small, to merge it into a bigger one) are copied to a new pack, the index is switched
 * to the copies in one transaction, and the old pack is retired: its file is deleted by a run a day
 * later, so a database backup taken before the switch still finds its blobs in a copy of the folder
 * taken within that day (docs/operations.md). Only packs past their append window
 * (PACK_APPEND_WINDOW_MS) plus a margin are touched, so no writer, in this process or another, still
 * appends to one. A blob is "named" when a message's raw source or an attachment has its key: a
 * dehydrated raw source refers only to its own message's attachments, which are named by that rule.
 */

export interface CompactionOptions {
  db: Kysely<Database>;
  /** The blob store's root (the data dir's `blobs`). */
  root: string;
  /** Packs younger than this are left alone; default the append window plus an hour for indexing. */
  minAgeMs?: number;
  /** Share of a pack's bytes nothing names before it is rewritten; default 0.5. */
  minDeadShare?: number;
  /** Packs below this size are merged into a new one, when there are at least two; default 64 MB. */
  smallPackBytes?: number;
  /** How long a rewritten pack's file is kept; default a day. */
  keepRetiredMs?: number;
  /** fsync copies and folder entries (default true; tests and benchmarks turn it off). */
  fsync?: boolean;
  now?: () => number;
  /** Tests: runs after a pack's live records are copied, before the index switches to the copies. */
  afterCopy?: (pack: string) => Promise<void>;
}

export interface CompactionReport {
  /** Packs old enough to be considered. */
  packsChecked: number;
  packsRewritten: number;
  /** Rewrites given up because a blob became named again meanwhile (tried again next run). */
  packsSkipped: number;
  /** Named records copied to new packs. */
  recordsMoved: number;
  /** Index entries of blobs nothing named, removed with their packs. */
  recordsDropped: number;
  /** Retired packs whose files this run deleted, and their bytes. */
  packsRemoved: number;
  bytesRemoved: number;
}

interface Candidate {
  name: string;
  size: number;
  live: BlobLocation[];
}

/** Index entries of `pack` whose blob a message, an attachment or the outbox (its MIME, uploads, files) names. */
async function namedLocations(db: Kysely<Database> | Transaction<Database>, pack: string): Promise<BlobLocation[]> {
  const res = await sql<{ sha256: string; offset: string | number; length: string | number }>`
    select l.sha256, l.offset, l.length from blob_locations l
    where l.pack = ${pack} and ${blobIsNamed(sql.ref('l.sha256'))}
    order by l.offset`.execute(db);
  return res.rows.map((r) => ({ sha256: r.sha256, pack, offset: Number(r.offset), length: Number(r.length) }));
}

const recordBytes = (locs: readonly BlobLocation[]) => locs.reduce((n, l) => n + HEADER_BYTES + l.length, 0);

/** Old packs with their named records, and which of them are worth rewriting. */
async function candidates(
  opts: Required<Pick<CompactionOptions, 'minAgeMs' | 'minDeadShare' | 'smallPackBytes'>> & CompactionOptions,
  now: number,
): Promise<{ checked: number; chosen: Candidate[] }> {
  let names: string[];
  try {
    names = await fs.readdir(packsDir(opts.root));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { checked: 0, chosen: [] };
    throw err;
  }
  const retired = new Set((await opts.db.selectFrom('blob_packs_retired').select('pack').execute()).map((r) => r.pack));
  const old: Candidate[] = [];
  for (const name of names.sort()) {
    const created = packCreatedAt(name);
    if (created === null || now - created < opts.minAgeMs || retired.has(name)) continue;
    // Gone since the listing: another process sharing the folder compacted it.
    const size = await fs.stat(path.join(packsDir(opts.root), name)).then(
      (s) => s.size,
      () => null,
    );
    if (size !== null) old.push({ name, size, live: await namedLocations(opts.db, name) });
  }
  const mostlyDead = old.filter((c) => c.size > 0 && 1 - recordBytes(c.live) / c.size >= opts.minDeadShare);
  const small = old.filter((c) => !mostlyDead.includes(c) && c.size < opts.smallPackBytes);
  return { checked: old.length, chosen: [...mostlyDead, ...(small.length >= 2 ? small : [])] };
}

/**
 * Switches the index from `pack` to the copies, under the exclusive lock, after checking that nothing
 * named a blob of `pack` that was not copied. Returns the entries dropped, or null when it gave up.
 */
async function switchIndex(db: Kysely<Database>, pack: string, copies: Map<string, BlobLocation>, now: Date): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    await lockBlobReferences(trx, 'exclusive');
    const named = await namedLocations(trx, pack);
    if (named.some((l) => !copies.has(l.sha256))) return null;
    const moved = named.map((l) => copies.get(l.sha256)!);
    if (moved.length) {
      await sql`
        update blob_locations b set pack = v.pack, "offset" = v.off, length = v.len
        from unnest(${moved.map((m) => m.sha256)}::text[], ${moved.map((m) => m.pack)}::text[],
                    ${moved.map((m) => String(m.offset))}::bigint[], ${moved.map((m) => String(m.length))}::bigint[]) as v(sha256, pack, off, len)
        where b.sha256 = v.sha256 and b.pack = ${pack}`.execute(trx);
    }
    const dropped = await trx.deleteFrom('blob_locations').where('pack', '=', pack).executeTakeFirst();
    await trx
      .insertInto('blob_packs_retired')
      .values({ pack, retired_at: now })
      .onConflict((oc) => oc.column('pack').doNothing())
      .execute();
    return Number(dropped.numDeletedRows);
  });
}

/** Deletes the files of packs retired before `before` (nothing is indexed in them), then their rows. */
async function removeRetired(opts: CompactionOptions, before: Date, report: CompactionReport, fsync: boolean): Promise<void> {
  const due = await opts.db.selectFrom('blob_packs_retired').select('pack').where('retired_at', '<', before).execute();
  for (const { pack } of due) {
    // Indexed again meanwhile (a restored backup, say): the pack is in use, keep it.
    const used = await opts.db.selectFrom('blob_locations').select('sha256').where('pack', '=', pack).limit(1).executeTakeFirst();
    if (!used) {
      const size = await fs.stat(path.join(packsDir(opts.root), pack)).then(
        (s) => s.size,
        () => null,
      );
      await removePack(opts.root, pack, { fsync });
      if (size !== null) {
        report.packsRemoved++;
        report.bytesRemoved += size;
      }
    }
    await opts.db.deleteFrom('blob_packs_retired').where('pack', '=', pack).execute();
  }
}

/**
 * One compaction run over the packs under `root`. Safe beside running imports and readers (readers
 * that looked a blob up just before its pack went look again: blob-store.ts) and beside another
 * process compacting the same store (the loser's copies are dead space for a later run).
 */
export async function compactPacks(options: CompactionOptions): Promise<CompactionReport> {
  const opts = {
    ...options,
    minAgeMs: options.minAgeMs ?? PACK_APPEND_WINDOW_MS + 60 * 60_000,
    minDeadShare: options.minDeadShare ?? 0.5,
    smallPackBytes: options.smallPackBytes ?? 64 * 1024 * 1024,
  };
  const fsync = opts.fsync ?? true;
  const now = (opts.now ?? Date.now)();
  const report: CompactionReport = {
    packsChecked: 0,
    packsRewritten: 0,
    packsSkipped: 0,
    recordsMoved: 0,
    recordsDropped: 0,
    packsRemoved: 0,
    bytesRemoved: 0,
  };
  await removeRetired(opts, new Date(now - (opts.keepRetiredMs ?? 24 * 3600_000)), report, fsync);
  const { checked, chosen } = await candidates(opts, now);
  report.packsChecked = checked;
  if (!chosen.length) return report;
  // Copies go to packs of their own, named now: young, so no run compacts them before their time.
  const writer = new PackWriter(opts.root, { fsync });
  try {
    for (const pack of chosen) {
      const copies = new Map<string, BlobLocation>();
      for (const loc of pack.live) {
        const record = await readPackRecord(opts.root, loc);
        copies.set(loc.sha256, await writer.append(loc.sha256, record.bytes, record.kind));
      }
      if (fsync) await syncPacks(opts.root, [...copies.values()]);
      await opts.afterCopy?.(pack.name);
      const dropped = await switchIndex(opts.db, pack.name, copies, new Date(now));
      if (dropped === null) {
        report.packsSkipped++;
        continue;
      }
      report.packsRewritten++;
      report.recordsMoved += copies.size;
      report.recordsDropped += dropped;
    }
  } finally {
    await writer.close();
  }
  return report;
}

export interface CompactionSchedule {
  /** Waits for a run in progress, then stops. */
  stop(): Promise<void>;
}

/**
 * Runs compaction in the server (and, with an object store, the sweep of its unnamed blobs): first `firstAfterMs` after start (default 15 minutes, out of the way
 * of start-up and a first import), then every `everyMs` (default 6 hours). A failed run is logged and
 * tried again at the next turn; nothing is lost by a run that stops half-way (see compactPacks).
 */
export function schedulePackCompaction(
  opts: CompactionOptions & { log: Logger; firstAfterMs?: number; everyMs?: number; objects?: S3BlobStore | null },
): CompactionSchedule {
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const plan = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = compactPacks(opts)
        .then(async (report) => {
          if (report.packsRewritten || report.packsSkipped || report.packsRemoved)
            opts.log.info({ compaction: report }, 'blob packs compacted');
          // The object store's counterpart: its unnamed blobs' objects are deleted (object-sweep.ts).
          const swept = opts.objects ? await sweepObjects({ db: opts.db, objects: opts.objects }) : 0;
          if (swept) opts.log.info({ objectsDeleted: swept }, 'unused blobs deleted from the object store');
        })
        .catch((err: unknown) => opts.log.warn({ err: (err as Error).message }, 'blob pack compaction failed; trying again later'))
        .finally(() => {
          running = null;
          plan(opts.everyMs ?? 6 * 3600_000);
        });
    }, ms);
    timer.unref();
  };
  plan(opts.firstAfterMs ?? 15 * 60_000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
