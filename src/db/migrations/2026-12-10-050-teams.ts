import { type Kysely, sql } from 'kysely';

/**
 * Teams for the analytics filters (src/analytics): a team is a name on the user, set by admins; users with
 * the same name (any letter case) are one team. A column, not a table: a user is in at most one team and a
 * team has no settings of its own, so there is nothing a table would hold.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('team', 'text').execute();
  await sql`create index users_team_idx on users (lower(team)) where team is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists users_team_idx`.execute(db);
  await db.schema.alterTable('users').dropColumn('team').execute();
}
