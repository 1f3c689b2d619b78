import { type Kysely, sql } from 'kysely';

/**
 * Timelines (src/timeline) page a contact's or company's mail newest first. Reading the date of every
 * linked message to sort them cost a key lookup per link (thousands for a busy customer), so each link
 * carries its message's timeline instant, `message_at` = coalesce(date, created_at), and its mailbox, kept
 * by triggers in the same transaction as the message or link that changes them, and is indexed per contact
 * and per company in the timeline's order with the mailbox and role beside: a page is an index range walked
 * until it has enough messages the reader may see, and links to mail the reader may not see are passed over
 * without reading their messages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table message_links add column message_at timestamptz, add column mailbox_id uuid`.execute(db);

  // The backfill changes no fact of mail_facts (src/db/migrations/2026-12-11-050-mail-rollups.ts), so its
  // links trigger would only recompute every message's facts for nothing.
  await sql`alter table message_links disable trigger mail_facts_links_update`.execute(db);
  await sql`update message_links l set message_at = coalesce(m.date, m.created_at), mailbox_id = m.mailbox_id
    from messages m where m.id = l.message_id`.execute(db);
  await sql`alter table message_links enable trigger mail_facts_links_update`.execute(db);
  await sql`alter table message_links alter column message_at set not null, alter column mailbox_id set not null`.execute(db);

  // A copy of the database (move-to-postgres, restore) may write links before their messages, with the value.
  await sql`create function tidings_link_message_at() returns trigger language plpgsql as $$
  declare found_at timestamptz; found_box uuid;
  begin
    select coalesce(m.date, m.created_at), m.mailbox_id into found_at, found_box from messages m where m.id = new.message_id;
    if found then
      new.message_at := found_at;
      new.mailbox_id := found_box;
    end if;
    return new;
  end $$`.execute(db);
  await sql`create trigger message_links_message_at before insert or update of message_id on message_links
    for each row execute function tidings_link_message_at()`.execute(db);

  // A message whose date changes (a re-parse adopting a better copy) moves on every timeline it is on.
  await sql`create function tidings_message_at_links() returns trigger language plpgsql as $$
  begin
    update message_links l set message_at = coalesce(n.date, n.created_at), mailbox_id = n.mailbox_id
    from new_rows n join old_rows o on o.id = n.id
    where l.message_id = n.id
      and (coalesce(n.date, n.created_at), n.mailbox_id) is distinct from (coalesce(o.date, o.created_at), o.mailbox_id);
    return null;
  end $$`.execute(db);
  await sql`create trigger messages_link_dates after update on messages
    referencing old table as old_rows new table as new_rows for each statement execute function tidings_message_at_links()`.execute(db);

  // Links whose only change is message_at or mailbox_id change no fact: the messages trigger refreshes a redated message.
  await sql`create or replace function tidings_mail_facts_links() returns trigger language plpgsql as $$
  declare ids uuid[];
  begin
    if tg_op = 'INSERT' then select array_agg(distinct message_id) into ids from new_rows;
    elsif tg_op = 'UPDATE' then
      select array_agg(distinct message_id) into ids from (
        (select message_id, contact_id, company_id, role from new_rows
          except all select message_id, contact_id, company_id, role from old_rows)
        union all
        (select message_id, contact_id, company_id, role from old_rows
          except all select message_id, contact_id, company_id, role from new_rows)
      ) x;
    else select array_agg(distinct message_id) into ids from old_rows;
    end if;
    perform tidings_refresh_mail_facts(ids);
    return null;
  end $$`.execute(db);

  await sql`create index message_links_contact_at_idx on message_links (contact_id, message_at desc, message_id desc)
    include (mailbox_id, role) where contact_id is not null`.execute(db);
  await sql`create index message_links_company_at_idx on message_links (company_id, message_at desc, message_id desc)
    include (mailbox_id, role) where company_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists message_links_company_at_idx`.execute(db);
  await sql`drop index if exists message_links_contact_at_idx`.execute(db);
  await sql`create or replace function tidings_mail_facts_links() returns trigger language plpgsql as $$
  declare ids uuid[];
  begin
    if tg_op = 'INSERT' then select array_agg(distinct message_id) into ids from new_rows;
    elsif tg_op = 'UPDATE' then
      select array_agg(distinct message_id) into ids from (select message_id from new_rows union all select message_id from old_rows) x;
    else select array_agg(distinct message_id) into ids from old_rows;
    end if;
    perform tidings_refresh_mail_facts(ids);
    return null;
  end $$`.execute(db);
  await sql`drop trigger if exists messages_link_dates on messages`.execute(db);
  await sql`drop function if exists tidings_message_at_links()`.execute(db);
  await sql`drop trigger if exists message_links_message_at on message_links`.execute(db);
  await sql`drop function if exists tidings_link_message_at()`.execute(db);
  await sql`alter table message_links drop column if exists message_at, drop column if exists mailbox_id`.execute(db);
}
