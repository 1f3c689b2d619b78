import { type Kysely, sql } from 'kysely';

/**
 * Messages a folder listed but the server would not return, after the sync engine stopped holding the
 * folder's cursor for them (src/sync/mailbox-runner.ts gives up after a few tries). Each is retried on a
 * schedule that backs off to once a day, and its row goes when it is stored, leaves the folder, or the
 * folder's UIDVALIDITY changes: so such a message is late, never silently lost.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_fetch_retries')
    .addColumn('folder_id', 'uuid', (c) => c.notNull().references('mail_folders.id').onDelete('cascade'))
    .addColumn('generation', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('mailbox_id', 'uuid', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    // The listing's view of the message (stable id, thread id, flags) for storing it once it comes back.
    .addColumn('ref', 'jsonb', (c) => c.notNull())
    .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_failed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('next_try_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_fetch_retries_pkey', ['folder_id', 'generation', 'remote_id'])
    .execute();
  await db.schema.createIndex('mail_fetch_retries_due').on('mail_fetch_retries').columns(['mailbox_id', 'next_try_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_fetch_retries').execute();
}
