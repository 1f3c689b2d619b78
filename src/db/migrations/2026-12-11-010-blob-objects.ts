import { type Kysely, sql } from 'kysely';

/**
 * Blobs in an S3-compatible object store (TIDINGS_BLOB_URL; src/ingest/s3-blob-store.ts), one row per
 * object. `touched_at` is when a writer last uploaded or reused the blob: the sweep that deletes the
 * objects of blobs nothing names (src/store/object-sweep.ts) leaves recently touched ones alone, so a
 * message about to name a blob never loses it. A blob moves between this table and blob_locations (the
 * disk packs) in one transaction (`tidings blobs move`), so the index always says which store holds it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blob_objects')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('length', 'bigint', (c) => c.notNull())
    .addColumn('touched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('blob_objects_touched_idx').on('blob_objects').column('touched_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('blob_objects').execute();
}
