import { type Kysely, sql } from 'kysely';

/**
 * Sync you can watch (issue 18): a mailbox keeps the code of why it needs attention next to its reason;
 * each mailbox keeps a short history of its sync errors (code and parameters, explained in the reader's
 * language when shown); and in-app notifications, first of all "this mailbox needs attention", raised once
 * per change: `mailbox_attention` holds the code last announced, so only one process announces a change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table mailboxes add column status_code text`.execute(db);
  await sql`create table mailbox_sync_errors (
    id uuid primary key default gen_random_uuid(),
    mailbox_id uuid not null references mailboxes(id) on delete cascade,
    code text not null,
    params jsonb not null default '{}',
    folder_name text,
    at timestamptz not null default now()
  )`.execute(db);
  await sql`create index mailbox_sync_errors_recent on mailbox_sync_errors (mailbox_id, at desc)`.execute(db);
  await sql`create table mailbox_attention (
    mailbox_id uuid primary key references mailboxes(id) on delete cascade,
    code text,
    changed_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table notifications (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    kind text not null check (kind in ('mailbox_attention', 'mailbox_recovered')),
    mailbox_id uuid references mailboxes(id) on delete cascade,
    code text,
    params jsonb not null default '{}',
    read_at timestamptz,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index notifications_by_user on notifications (user_id, created_at desc, id desc)`.execute(db);
  await sql`create index notifications_unread on notifications (user_id) where read_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table notifications`.execute(db);
  await sql`drop table mailbox_attention`.execute(db);
  await sql`drop table mailbox_sync_errors`.execute(db);
  await sql`alter table mailboxes drop column status_code`.execute(db);
}
