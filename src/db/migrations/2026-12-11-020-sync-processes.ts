import { type Kysely, sql } from 'kysely';

/**
 * The sync processes alive now, so each can take its share of the mailboxes (src/sync/balance.ts): a
 * process renews its row with its leases; a row past `expires_at` is a process that died.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sync_processes')
    .addColumn('holder', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sync_processes').execute();
}
