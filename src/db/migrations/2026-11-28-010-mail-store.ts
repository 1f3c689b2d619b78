import { type Kysely, sql } from 'kysely';

/** The mail store: folders, messages (once per mailbox) with folder memberships, attachments, threads, sync leases. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_folders')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('mailbox_id', 'uuid', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('delimiter', 'text')
    .addColumn('role', 'text')
    .addColumn('selectable', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('selected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('cursor', 'jsonb')
    // The cursor generation (IMAP UIDVALIDITY) the stored memberships of this folder belong to.
    .addColumn('generation', 'text')
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('synced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_synced_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('removed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mail_folders_mailbox_remote_key', ['mailbox_id', 'remote_id'])
    .execute();

  await db.schema
    .createTable('threads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('mailbox_id', 'uuid', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('thread_key', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('subject_norm', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_message_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('threads_mailbox_key', ['mailbox_id', 'thread_key'])
    .execute();
  await db.schema.createIndex('threads_subject_idx').on('threads').columns(['mailbox_id', 'subject_norm']).execute();

  // Every Message-ID known to a thread: of its messages and of the messages they reference.
  await db.schema
    .createTable('thread_refs')
    .addColumn('mailbox_id', 'uuid', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('thread_refs_pk', ['mailbox_id', 'message_id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('mailbox_id', 'uuid', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('stable_id', 'text')
    .addColumn('gmail_thread_id', 'text')
    .addColumn('message_id_header', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('references', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('subject', 'text')
    .addColumn('date', 'timestamptz')
    .addColumn('from', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('to', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('cc', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('bcc', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reply_to', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('participants', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('seen', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('flagged', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('answered', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('draft', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('size', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('snippet', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .addColumn('has_attachments', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('raw_sha256', 'text', (c) => c.notNull())
    .addColumn('parse_error', 'text')
    .addColumn('thread_id', 'uuid', (c) => c.references('threads.id').onDelete('set null'))
    .addColumn('list_id', 'text')
    .addColumn('list_unsubscribe', 'text')
    .addColumn('precedence', 'text')
    .addColumn('auto_submitted', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Identical bytes in one mailbox are one message (the copy in Inbox and the one in All Mail).
    .addUniqueConstraint('messages_mailbox_sha_key', ['mailbox_id', 'raw_sha256'])
    .execute();
  await sql`create index messages_stable_idx on messages (mailbox_id, stable_id) where stable_id is not null`.execute(db);
  await sql`create index messages_list_idx on messages (mailbox_id, date desc nulls last, id desc)`.execute(db);
  await sql`create index messages_date_idx on messages (date desc nulls last, id desc)`.execute(db);
  await db.schema.createIndex('messages_thread_idx').on('messages').column('thread_id').execute();
  await db.schema.createIndex('messages_mid_idx').on('messages').columns(['mailbox_id', 'message_id_header']).execute();
  await sql`create index messages_participants_idx on messages using gin (participants)`.execute(db);

  await db.schema
    .createTable('message_folders')
    .addColumn('message_id', 'uuid', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('folder_id', 'uuid', (c) => c.notNull().references('mail_folders.id').onDelete('cascade'))
    .addColumn('uid_validity', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('message_folders_pk', ['folder_id', 'uid_validity', 'remote_id'])
    .execute();
  await db.schema.createIndex('message_folders_message_idx').on('message_folders').column('message_id').execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('message_id', 'uuid', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text')
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('inline', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addUniqueConstraint('attachments_message_position_key', ['message_id', 'position'])
    .execute();

  await db.schema
    .createTable('sync_leases')
    .addColumn('mailbox_id', 'uuid', (c) => c.primaryKey().references('mailboxes.id').onDelete('cascade'))
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['sync_leases', 'attachments', 'message_folders', 'messages', 'thread_refs', 'threads', 'mail_folders']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
