import { type Kysely, sql } from 'kysely';

/**
 * Sign-in with Google and Microsoft (src/signin/):
 * - signin_apps: the OAuth client an admin registered per provider; its secret is in the vault.
 * - signin_grants: what a user's consent gave us (refresh token and cached access token, both in the
 *   vault); bound to at most one mailbox. refresh_lock_* make one refresh at a time per grant, across
 *   processes (compare-and-swap, not a row lock held during an HTTP call).
 * - signin_flows: one authorization-code or device-code sign-in, bound to the Tidings user who started it.
 * - signin_invitations: an admin asks a user to sign in for their own mailbox.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signin_apps')
    .addColumn('provider', 'text', (c) => c.primaryKey().check(sql`provider in ('google','microsoft')`))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('secret_id', 'uuid')
    .addColumn('tenant', 'text')
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('signin_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('refresh_secret_id', 'uuid', (c) => c.notNull())
    .addColumn('access_secret_id', 'uuid')
    .addColumn('access_expires_at', 'timestamptz')
    .addColumn('refresh_lock_until', 'timestamptz')
    .addColumn('refresh_lock_holder', 'text')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('mailbox_id', 'uuid', (c) => c.unique().references('mailboxes.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('signin_invitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('mailbox_id', 'uuid', (c) => c.references('mailboxes.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('signin_flows')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('bind','reauth')`))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('code','device')`))
    .addColumn('expected_email', 'text', (c) => c.notNull())
    .addColumn('mailbox_id', 'uuid', (c) => c.references('mailboxes.id').onDelete('cascade'))
    .addColumn('owner_user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('invitation_id', 'uuid', (c) => c.references('signin_invitations.id').onDelete('cascade'))
    .addColumn('state_hash', 'text', (c) => c.unique())
    .addColumn('nonce', 'text')
    .addColumn('secret_id', 'uuid')
    .addColumn('device_user_code', 'text')
    .addColumn('device_verification_uri', 'text')
    .addColumn('device_interval_seconds', 'integer')
    .addColumn('device_next_poll_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending','signed_in','failed','used')`))
    .addColumn('error_code', 'text')
    .addColumn('signed_in_email', 'text')
    .addColumn('grant_id', 'uuid', (c) => c.references('signin_grants.id').onDelete('set null'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signin_flows').ifExists().execute();
  await db.schema.dropTable('signin_invitations').ifExists().execute();
  await db.schema.dropTable('signin_grants').ifExists().execute();
  await db.schema.dropTable('signin_apps').ifExists().execute();
}
