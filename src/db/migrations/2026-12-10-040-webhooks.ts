import { type Kysely, sql } from 'kysely';

/**
 * Webhooks (src/webhooks/): admins subscribe URLs to events; each event becomes one delivery row per
 * subscription, sent by whichever process takes it under a lease (FOR UPDATE SKIP LOCKED), retried with
 * backoff for a day. The signing secret lives in the vault like every other secret.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table webhook_subscriptions (
    id uuid primary key default gen_random_uuid(),
    url text not null,
    events text[] not null,
    secret_id uuid not null references secrets(id),
    active boolean not null default true,
    disabled_reason text,
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);

  await sql`create table webhook_deliveries (
    id uuid primary key default gen_random_uuid(),
    seq bigint generated always as identity unique,
    subscription_id uuid not null references webhook_subscriptions(id) on delete cascade,
    event_id uuid not null,
    event_type text not null,
    payload jsonb not null,
    state text not null default 'pending' check (state in ('pending', 'delivering', 'delivered', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_holder text,
    lease_expires_at timestamptz,
    last_status_code integer,
    last_error text,
    last_attempt_at timestamptz,
    delivered_at timestamptz,
    replay_of uuid references webhook_deliveries(id) on delete set null,
    created_at timestamptz not null default now()
  )`.execute(db);
  // The worker's one question: which deliveries are due (pending and due, or delivering with a lapsed lease).
  await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state in ('pending', 'delivering')`.execute(
    db,
  );
  // The delivery log of one subscription, newest first.
  await sql`create index webhook_deliveries_log on webhook_deliveries (subscription_id, seq desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table webhook_subscriptions`.execute(db);
}
