import { type Kysely, sql } from 'kysely';

/**
 * Sign-in hardening:
 *
 * - auth_throttle replaces login_failures: one row per bucket (an account, an address, an account from
 *   one address, a signed-in person confirming a change) holding its failure count. A row is locked while
 *   an attempt is counted, so parallel guesses are counted one after another, before any password check.
 * - users.totp_last_step: the time step of the last authenticator code accepted, so a code works once.
 * - api_tokens.expires_at and scope: a token may end on a date, and may be limited to reading.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').ifExists().execute();
  await db.schema
    .createTable('auth_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('auth_throttle_last_failure_idx').on('auth_throttle').column('last_failure_at').execute();
  await sql`alter table users add column totp_last_step integer`.execute(db);
  await sql`alter table api_tokens add column expires_at timestamptz`.execute(db);
  await sql`alter table api_tokens add column scope text not null default 'full' check (scope in ('full', 'read'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table api_tokens drop column scope`.execute(db);
  await sql`alter table api_tokens drop column expires_at`.execute(db);
  await sql`alter table users drop column totp_last_step`.execute(db);
  await db.schema.dropTable('auth_throttle').execute();
  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_failures_key_at_idx').on('login_failures').columns(['key', 'at']).execute();
}
