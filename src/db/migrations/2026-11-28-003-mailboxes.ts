import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mailboxes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('imap_host', 'text', (c) => c.notNull())
    .addColumn('imap_port', 'integer', (c) => c.notNull())
    .addColumn('imap_security', 'text', (c) => c.notNull().check(sql`imap_security in ('tls','starttls','plain')`))
    .addColumn('smtp_host', 'text')
    .addColumn('smtp_port', 'integer')
    .addColumn('smtp_security', 'text', (c) => c.check(sql`smtp_security in ('tls','starttls','plain')`))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('auth_kind', 'text', (c) => c.notNull())
    .addColumn('secret_id', 'uuid', (c) => c.references('secrets.id'))
    .addColumn('allow_plaintext', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('imap_pinned_cert', 'text')
    .addColumn('smtp_pinned_cert', 'text')
    .addColumn('visibility', 'text', (c) =>
      c.notNull().defaultTo('private').check(sql`visibility in ('private','share_all','subject_only','metadata_only')`),
    )
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('untested'))
    .addColumn('status_reason', 'text')
    .addColumn('sync_mode', 'text', (c) => c.notNull().defaultTo('realtime'))
    .addColumn('sync_interval_minutes', 'integer', (c) => c.notNull().defaultTo(5).check(sql`sync_interval_minutes between 1 and 60`))
    .addColumn('backfill', 'text', (c) => c.notNull().defaultTo('90d'))
    .addColumn('sync_folders', 'jsonb')
    .addColumn('contact_creation', 'text', (c) => c.notNull().defaultTo('sent'))
    .addColumn('last_test_at', 'timestamptz')
    .addColumn('last_test_ok', 'boolean')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('mailboxes_owner_idx').on('mailboxes').column('owner_user_id').execute();
  await sql`create unique index mailboxes_owner_email_key on mailboxes (owner_user_id, lower(email))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mailboxes').ifExists().execute();
}
