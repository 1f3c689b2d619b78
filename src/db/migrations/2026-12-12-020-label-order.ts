import { type Kysely, sql } from 'kysely';

/**
 * The message list filtered by a label (src/store/message-queries.ts) pages newest first. The label-key GIN
 * index (2026-12-07-300) finds a label's messages but not in date order, so a common label meant reading and
 * sorting every one of its messages for each page. `message_label_keys` holds one row per message and label
 * key with the message's mailbox and date, kept by triggers in the same transaction as the message, and is
 * indexed in the list's order: a page is an index walk that stops after a page of readable messages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table message_label_keys (
    label_key text not null,
    message_id uuid not null references messages (id) on delete cascade,
    mailbox_id uuid not null,
    date timestamptz
  )`.execute(db);

  // The message's label keys, mailbox and date as they are now (none for a message without labels).
  await sql`create function tidings_refresh_label_keys(ids uuid[]) returns void language sql as $$
    delete from message_label_keys k where k.message_id = any(ids);
    insert into message_label_keys (label_key, message_id, mailbox_id, date)
    select distinct l.key, m.id, m.mailbox_id, m.date
    from messages m cross join lateral unnest(tidings_label_keys(m.labels)) l(key)
    where m.id = any(ids);
  $$`.execute(db);

  // Deletes cascade through the foreign key; inserts and the updates that change a key, mailbox or date refresh.
  await sql`create function tidings_label_keys_messages() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      insert into message_label_keys (label_key, message_id, mailbox_id, date)
      select distinct l.key, n.id, n.mailbox_id, n.date
      from new_rows n cross join lateral unnest(tidings_label_keys(n.labels)) l(key)
      where cardinality(n.labels) > 0;
    else
      perform tidings_refresh_label_keys(array(
        select n.id from new_rows n join old_rows o on o.id = n.id
        where (n.labels, n.mailbox_id, n.date) is distinct from (o.labels, o.mailbox_id, o.date)));
    end if;
    return null;
  end $$`.execute(db);
  await sql`insert into message_label_keys (label_key, message_id, mailbox_id, date)
    select distinct l.key, m.id, m.mailbox_id, m.date
    from messages m cross join lateral unnest(tidings_label_keys(m.labels)) l(key)
    where cardinality(m.labels) > 0`.execute(db);
  // The list's order (date desc nulls last, id desc) per key; the mailbox is carried for an index-only check.
  await sql`create index message_label_keys_order_idx on message_label_keys (label_key, date desc nulls last, message_id desc)
    include (mailbox_id)`.execute(db);
  await sql`create unique index message_label_keys_key on message_label_keys (message_id, label_key)`.execute(db);

  for (const [op, refs] of [
    ['insert', 'new table as new_rows'],
    ['update', 'old table as old_rows new table as new_rows'],
  ] as const) {
    await sql`create trigger ${sql.raw(`label_keys_messages_${op}`)} after ${sql.raw(op)} on messages
      referencing ${sql.raw(refs)} for each statement execute function tidings_label_keys_messages()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const op of ['insert', 'update']) await sql`drop trigger if exists ${sql.raw(`label_keys_messages_${op}`)} on messages`.execute(db);
  await sql`drop function if exists tidings_label_keys_messages()`.execute(db);
  await sql`drop function if exists tidings_refresh_label_keys(uuid[])`.execute(db);
  await sql`drop table if exists message_label_keys`.execute(db);
}
