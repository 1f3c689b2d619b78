import { type Kysely, sql } from 'kysely';

/**
 * Sending mail from Tidings (src/outbox/). The outbox is rows: a message to send is one row whose
 * Message-ID is minted once, when the row is made; a sender takes a due row under a lease; `phase` says
 * how far an attempt got, so an attempt that ended unclearly (the process died) is resolved by looking
 * for that Message-ID in the Sent folder instead of sending again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table outbox_messages (
    id uuid primary key default gen_random_uuid(),
    mailbox_id uuid not null references mailboxes(id) on delete cascade,
    created_by uuid not null references users(id) on delete cascade,
    state text not null default 'draft'
      check (state in ('draft', 'queued', 'sending', 'sent', 'failed', 'cancelled')),
    phase text check (phase in ('connecting', 'connected', 'transmitted', 'accepted', 'saved')),
    kind text not null default 'new' check (kind in ('new', 'reply', 'reply_all', 'forward')),
    source_message_id uuid references messages(id) on delete set null,
    record_type text check (record_type in ('contact', 'company', 'deal')),
    record_id uuid,
    template_id uuid,
    message_id_header text not null,
    in_reply_to text,
    "references" text[] not null default '{}',
    "from" jsonb not null,
    "to" jsonb not null default '[]',
    cc jsonb not null default '[]',
    bcc jsonb not null default '[]',
    subject text not null default '',
    html_body text not null default '',
    text_body text not null default '',
    attachments jsonb not null default '[]',
    raw_sha256 text,
    raw_size integer,
    send_at timestamptz,
    attempts integer not null default 0,
    next_attempt_at timestamptz,
    lease_holder text,
    lease_expires_at timestamptz,
    last_error_code text,
    last_error text,
    last_error_at timestamptz,
    sent_at timestamptz,
    sent_message_id uuid references messages(id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (mailbox_id, message_id_header)
  )`.execute(db);
  // The sender's one question: which rows are due (queued and due, or sending with a lapsed lease).
  await sql`create index outbox_due on outbox_messages (coalesce(next_attempt_at, send_at)) where state in ('queued', 'sending')`.execute(
    db,
  );
  await sql`create index outbox_by_creator on outbox_messages (created_by, state, updated_at desc)`.execute(db);
  // Daily quota counts what a mailbox sent in the last 24 hours.
  await sql`create index outbox_sent_by_mailbox on outbox_messages (mailbox_id, sent_at) where state = 'sent'`.execute(db);

  await sql`create table outbox_uploads (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    filename text not null,
    content_type text not null,
    size integer not null,
    sha256 text not null,
    created_at timestamptz not null default now()
  )`.execute(db);

  await sql`create table message_templates (
    id uuid primary key default gen_random_uuid(),
    owner_user_id uuid references users(id) on delete cascade,
    created_by uuid references users(id) on delete set null,
    name text not null,
    language text not null default 'en' check (language in ('en', 'zh-CN')),
    subject text not null default '',
    html_body text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);

  await sql`create table mailbox_senders (
    mailbox_id uuid not null references mailboxes(id) on delete cascade,
    user_id uuid not null references users(id) on delete cascade,
    granted_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    primary key (mailbox_id, user_id)
  )`.execute(db);

  await sql`create table message_bounces (
    id uuid primary key default gen_random_uuid(),
    report_message_id uuid not null references messages(id) on delete cascade,
    original_message_id uuid references messages(id) on delete set null,
    outbox_id uuid references outbox_messages(id) on delete set null,
    original_message_id_header text,
    recipient text not null,
    action text not null,
    status text,
    diagnostic text,
    reported_at timestamptz,
    created_at timestamptz not null default now(),
    unique (report_message_id, recipient)
  )`.execute(db);
  await sql`create index message_bounces_original on message_bounces (original_message_id)`.execute(db);

  await sql`alter table mailboxes add column signature_html text`.execute(db);
  // A message Tidings sent, stored at once (no folder yet): the synced Sent copy merges into this row.
  await sql`alter table messages add column outbox_id uuid references outbox_messages(id) on delete set null`.execute(db);
  await sql`create index messages_outbox_pending on messages (mailbox_id, message_id_header) where outbox_id is not null`.execute(db);
  await sql`alter table contact_emails add column bouncing_at timestamptz, add column bounce_reason text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table contact_emails drop column bouncing_at, drop column bounce_reason`.execute(db);
  await sql`alter table messages drop column outbox_id`.execute(db);
  await sql`alter table mailboxes drop column signature_html`.execute(db);
  await sql`drop table message_bounces`.execute(db);
  await sql`drop table mailbox_senders`.execute(db);
  await sql`drop table message_templates`.execute(db);
  await sql`drop table outbox_uploads`.execute(db);
  await sql`drop table outbox_messages`.execute(db);
}
