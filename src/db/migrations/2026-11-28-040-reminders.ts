import { type Kysely, sql } from 'kysely';

/**
 * Task reminders are delivered (src/crm/reminders): `reminded_at` says a reminder has fired, so it fires
 * once however many processes sweep; `reminder_dismissed_at` takes it out of its owner's bell.
 *
 * Reminders already due when this runs were stored but never delivered. They are marked as fired, so an
 * upgrade does not pop up months of old reminders at once; they are still listed in their owners' bells.
 *
 * The sweeper's index now holds only reminders still waiting to fire, so it stays small however many
 * fired ones stay open. The bell's index serves "my fired, undismissed reminders, newest first".
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activities').addColumn('reminded_at', 'timestamptz').execute();
  await db.schema.alterTable('activities').addColumn('reminder_dismissed_at', 'timestamptz').execute();
  await sql`update activities set reminded_at = reminder_at where kind = 'task' and reminder_at is not null and reminder_at <= now()`.execute(
    db,
  );
  await sql`drop index if exists activities_reminder_idx`.execute(db);
  await sql`
    create index activities_reminder_idx on activities (reminder_at)
    where kind = 'task' and done_at is null and reminder_at is not null and reminded_at is null`.execute(db);
  await sql`
    create index activities_reminder_bell_idx on activities (owner_user_id, reminder_at desc, id desc)
    where kind = 'task' and done_at is null and reminded_at is not null and reminder_dismissed_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists activities_reminder_bell_idx`.execute(db);
  await sql`drop index if exists activities_reminder_idx`.execute(db);
  await db.schema.alterTable('activities').dropColumn('reminder_dismissed_at').execute();
  await db.schema.alterTable('activities').dropColumn('reminded_at').execute();
  await sql`create index activities_reminder_idx on activities (reminder_at) where kind = 'task' and done_at is null and reminder_at is not null`.execute(
    db,
  );
}
