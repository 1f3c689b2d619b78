import { type Kysely, sql } from 'kysely';

/**
 * Pack compaction (src/store/pack-compaction.ts) asks, per pack, which of its blobs a message or an
 * attachment still names: these indexes answer that from the blob's key instead of scanning the tables.
 * A rewritten pack is kept for a day before its file is deleted (blob_packs_retired), so a database
 * backup taken before the rewrite still finds its blobs in a copy of the folder taken a little later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blob_packs_retired')
    .addColumn('pack', 'text', (c) => c.primaryKey())
    .addColumn('retired_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('blob_locations_pack_idx').on('blob_locations').column('pack').execute();
  await db.schema.createIndex('messages_raw_sha256_idx').on('messages').column('raw_sha256').execute();
  await db.schema.createIndex('attachments_sha256_idx').on('attachments').column('sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('blob_packs_retired').execute();
  await db.schema.dropIndex('attachments_sha256_idx').execute();
  await db.schema.dropIndex('messages_raw_sha256_idx').execute();
  await db.schema.dropIndex('blob_locations_pack_idx').execute();
}
