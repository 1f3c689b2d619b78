import { type Kysely, sql } from 'kysely';

/**
 * Organisation-wide access (issue 14, point 3), src/signin/organisation/:
 * - signin_org_grants: what an administrator granted Tidings for a whole organisation, one per provider:
 *   Microsoft 365 application permissions (client credentials of the Microsoft sign-in app, for one
 *   tenant) or a Google Workspace service account with domain-wide delegation (its private key in the
 *   vault). `domains` lists the mail domains it may be used for.
 * - signin_grants.kind: 'user' (a person's consent, with a refresh token) or 'organisation' (a mailbox
 *   reached through an organisation grant: no refresh token, tokens are minted from the org grant).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signin_org_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider', 'text', (c) => c.notNull().unique().check(sql`provider in ('google','microsoft')`))
    .addColumn('tenant', 'text')
    .addColumn('domains', 'text', (c) => c.notNull())
    .addColumn('service_account_email', 'text')
    .addColumn('service_account_client_id', 'text')
    .addColumn('key_id', 'text')
    .addColumn('key_secret_id', 'uuid')
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable('signin_grants')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('user').check(sql`kind in ('user','organisation')`))
    .execute();
  await db.schema
    .alterTable('signin_grants')
    .addColumn('org_grant_id', 'uuid', (c) => c.references('signin_org_grants.id').onDelete('cascade'))
    .execute();
  await db.schema
    .alterTable('signin_grants')
    .alterColumn('refresh_secret_id', (c) => c.dropNotNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('signin_grants').where('kind', '=', 'organisation').execute();
  await db.schema
    .alterTable('signin_grants')
    .alterColumn('refresh_secret_id', (c) => c.setNotNull())
    .execute();
  await db.schema.alterTable('signin_grants').dropColumn('org_grant_id').execute();
  await db.schema.alterTable('signin_grants').dropColumn('kind').execute();
  await db.schema.dropTable('signin_org_grants').ifExists().execute();
}
