import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ObjectIndex, S3BlobStore } from '../ingest/index.ts';
import { blobIsNamed, lockBlobReferences } from './blob-index.ts';

/** The object store's index in the database (table blob_objects). */
export function dbObjectIndex(db: Kysely<Database>): ObjectIndex & { has(sha256: string): Promise<boolean> } {
  return {
    async claim(sha256) {
      // Waits for a sweep that holds the row (it deletes the object before it commits), then finds none.
      const res = await db.updateTable('blob_objects').set({ touched_at: sql`now()` }).where('sha256', '=', sha256).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async add(blobs) {
      const distinct = [...new Map(blobs.map((b) => [b.sha256, b])).values()];
      if (!distinct.length) return;
      await db
        .insertInto('blob_objects')
        .values(distinct.map((b) => ({ sha256: b.sha256, length: b.length })))
        .onConflict((oc) => oc.column('sha256').doUpdateSet({ touched_at: sql`now()` }))
        .execute();
    },
    async has(sha256) {
      return Boolean(await db.selectFrom('blob_objects').select('sha256').where('sha256', '=', sha256).executeTakeFirst());
    },
  };
}

export interface ObjectSweepOptions {
  db: Kysely<Database>;
  objects: S3BlobStore;
  /** Blobs uploaded or reused within this long are kept even when nothing names them yet; default 6 hours. */
  graceMs?: number;
  /** Objects deleted per transaction; default 500. */
  batchSize?: number;
}

/**
 * Deletes the objects of blobs nothing names (deleted mail, unbound mailboxes), as pack compaction gives
 * back disk space. Each batch holds the blob-references lock exclusively while it decides (so a message
 * being stored is seen naming its blobs) and the rows locked while it deletes their objects (so a writer
 * reusing one of them waits, finds no row, and uploads the blob again). Returns how many it deleted.
 */
export async function sweepObjects(opts: ObjectSweepOptions): Promise<number> {
  const graceSeconds = (opts.graceMs ?? 6 * 3600_000) / 1000;
  const batchSize = opts.batchSize ?? 500;
  let deleted = 0;
  for (;;) {
    const n = await opts.db.transaction().execute(async (trx) => {
      await lockBlobReferences(trx, 'exclusive');
      const rows = await sql<{ sha256: string }>`
        select bo.sha256 from blob_objects bo
        where bo.touched_at < now() - make_interval(secs => ${graceSeconds})
          and not ${blobIsNamed(sql.ref('bo.sha256'))}
        order by bo.touched_at limit ${batchSize}
        for update skip locked`.execute(trx);
      const shas = rows.rows.map((r) => r.sha256);
      if (!shas.length) return 0;
      await opts.objects.remove(shas);
      await trx.deleteFrom('blob_objects').where('sha256', 'in', shas).execute();
      return shas.length;
    });
    deleted += n;
    if (n < batchSize) return deleted;
  }
}
