import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { BlobIndex, BlobLocation } from '../ingest/index.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Records blob locations; a key already indexed keeps its location (the new copy is dead space). */
export async function insertBlobLocations(db: Db, locations: readonly BlobLocation[]): Promise<void> {
  const distinct = [...new Map(locations.map((l) => [l.sha256, l])).values()];
  if (!distinct.length) return;
  await db
    .insertInto('blob_locations')
    .values(distinct.map((l) => ({ sha256: l.sha256, pack: l.pack, offset: l.offset, length: l.length })))
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/** The blob store's index in the database (table blob_locations). */
export function dbBlobIndex(db: Kysely<Database>): BlobIndex {
  return {
    async find(sha256) {
      const row = await db
        .selectFrom('blob_locations')
        .select(['pack', 'offset', 'length'])
        .where('sha256', '=', sha256)
        .executeTakeFirst();
      return row ? { sha256, pack: row.pack, offset: Number(row.offset), length: Number(row.length) } : null;
    },
    add: (locations) => insertBlobLocations(db, locations),
  };
}

/** An advisory lock key of our own ("tidings blob refs" folded into a bigint). */
const BLOB_REFERENCES_LOCK = 0x7469_6462_7266n;

/**
 * Until the transaction ends: 'shared' for one that adds messages or attachments naming blobs, so
 * pack compaction ('exclusive', while it decides which blobs nothing names) never drops a blob in the
 * moment a new message names it. A batch whose blob is already indexed adds no location of its own,
 * so without this the committed message could point at a location compaction has just removed.
 */
export async function lockBlobReferences(trx: Transaction<Database>, mode: 'shared' | 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? sql.raw('pg_advisory_xact_lock_shared') : sql.raw('pg_advisory_xact_lock');
  await sql`select ${fn}(${BLOB_REFERENCES_LOCK.toString()}::bigint)`.execute(trx);
}

/**
 * True when a message's raw source, an attachment or the outbox (its MIME, uploads, files) names the
 * blob whose key is `sha256` (a column reference, not aliased m, a, u or o): what pack compaction keeps
 * and the object sweep spares.
 */
export function blobIsNamed(sha256: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`(exists (select 1 from messages m where m.raw_sha256 = ${sha256})
    or exists (select 1 from attachments a where a.sha256 = ${sha256})
    or exists (select 1 from outbox_uploads u where u.sha256 = ${sha256})
    or exists (select 1 from outbox_messages o where o.raw_sha256 = ${sha256}
      or o.attachments @> jsonb_build_array(jsonb_build_object('sha256', ${sha256}))))`;
}
