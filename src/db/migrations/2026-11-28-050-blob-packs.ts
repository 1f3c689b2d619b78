import { type Kysely, sql } from 'kysely';

/**
 * Blobs are appended to pack files (src/ingest/blob-pack.ts) instead of one file each; this table says
 * where each one is. A location is inserted in the same transaction as the message rows that name the
 * blob, so a crash between writing bytes and committing leaves only unreferenced bytes in a pack.
 * Blobs stored one file each by earlier versions have no row and are still read from their files.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blob_locations')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('pack', 'text', (c) => c.notNull())
    .addColumn('offset', 'bigint', (c) => c.notNull())
    .addColumn('length', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('blob_locations').execute();
}
