import { type Kysely, sql } from 'kysely';

/**
 * Analytics rollups (src/analytics, docs/analytics.md): per-message facts computed once (`mail_facts`) and
 * their counts per UTC hour, day and month (`mail_rollups`), so the mail charts read a few thousand rows
 * instead of scanning every message of the period. Both are kept by statement-level triggers, in the same
 * transaction as the rows they summarize, whatever writes them (the batch store, deletes, moves to Trash,
 * the linker, a contact changing company). The reader's blocklist and visibility are applied when reading.
 *
 * A message's facts depend on its thread (first reply, still waiting), so a change to a message refreshes
 * the facts of its thread too. Refreshing removes the old facts' counts and adds the new ones.
 */
/**
 * The insert, update and delete statement triggers `<fn>_<op>` on a table, each running tidings_<fn>() with
 * the transition tables it has (new_rows, old_rows).
 */
async function statementTriggers(db: Kysely<any>, table: string, fn: string): Promise<void> {
  for (const [op, refs] of [
    ['insert', 'new table as new_rows'],
    ['update', 'old table as old_rows new table as new_rows'],
    ['delete', 'old table as old_rows'],
  ] as const) {
    await sql`create trigger ${sql.raw(`${fn}_${op}`)} after ${sql.raw(op)} on ${sql.raw(table)}
      referencing ${sql.raw(refs)} for each statement execute function ${sql.raw(`tidings_${fn}`)}()`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table mail_facts (
    message_id uuid primary key,
    mailbox_id uuid not null,
    date timestamptz not null,
    outbound boolean not null,
    counted boolean not null,
    contact_ids uuid[] not null,
    company_ids uuid[] not null,
    conversation boolean not null,
    wait interval,
    awaiting boolean not null
  )`.execute(db);
  await sql`create index mail_facts_mailbox_date_idx on mail_facts (mailbox_id, date)`.execute(db);
  await sql`create table mail_rollups (
    metric text not null check (metric in ('mail', 'contact', 'company', 'conversation', 'awaiting')),
    grain text not null check (grain in ('hour', 'day', 'month')),
    at timestamptz not null,
    mailbox_id uuid not null,
    outbound boolean not null,
    key uuid,
    wait interval,
    n integer not null
  )`.execute(db);
  await sql`create unique index mail_rollups_key on mail_rollups (metric, grain, at, mailbox_id, outbound, key, wait) nulls not distinct`.execute(
    db,
  );

  // The facts of some messages from the rows as they are now; the same rules as the charts' SQL had
  // (src/analytics: counted mail, first replies; src/dashboard/unanswered.ts: awaiting a reply).
  await sql`create function tidings_mail_facts_of(ids uuid[]) returns setof mail_facts language sql stable as $$
    select m.id, m.mailbox_id, m.date, o.outbound, c.counted,
      coalesce((select array_agg(distinct l.contact_id) from message_links l
        where l.message_id = m.id and l.role <> 'bcc' and l.contact_id is not null), '{}'),
      coalesce((select array_agg(distinct coalesce(l.company_id, k.company_id)) from message_links l
        left join contacts k on k.id = l.contact_id
        where l.message_id = m.id and l.role <> 'bcc' and coalesce(l.company_id, k.company_id) is not null), '{}'),
      v.conversation,
      case when v.conversation then (
        select min(r.date) from messages r
        where r.thread_id = m.thread_id and r.date > m.date and not r.draft
          and lower(coalesce(r."from"->0->>'address', '')) = lower(mb.email)
      ) - m.date end,
      (not o.outbound and not m.answered and not m.draft and p.person and not j.in_junk
        and not exists (
          -- Compared as text so the planner walks the thread's few rows, never the whole mailbox's.
          select 1 from messages r
          where r.thread_id = m.thread_id and r.mailbox_id::text = m.mailbox_id::text and r.date > m.date
            and lower(coalesce(r."from"->0->>'address', '')) = lower(mb.email)))
    from unnest(ids) i(id)
    join messages m on m.id = i.id
    join mailboxes mb on mb.id = m.mailbox_id
    cross join lateral (select lower(coalesce(m."from"->0->>'address', '')) = lower(mb.email) as outbound) o
    cross join lateral (select exists (
      select 1 from message_folders mf join mail_folders f on f.id = mf.folder_id
      where mf.message_id = m.id and f.role in ('junk', 'trash')) as in_junk) j
    cross join lateral (select not m.draft and not j.in_junk as counted) c
    cross join lateral (select m.list_id is null
      and coalesce(lower(m.precedence), '') not in ('bulk', 'list', 'junk')
      and coalesce(lower(m.auto_submitted), 'no') = 'no' as person) p
    cross join lateral (select c.counted and m.thread_id is not null and not o.outbound and p.person
      and not exists (
        select 1 from messages e
        where e.thread_id = m.thread_id and e.date < m.date and not e.draft
          and lower(coalesce(e."from"->0->>'address', '')) <> lower(mb.email)) as conversation) v
    where m.date is not null
  $$`.execute(db);

  // What one message's facts add to the rollups, at each grain (UTC hour, day and month).
  await sql`create function tidings_mail_fact_rollups(
      f_date timestamptz, f_mailbox uuid, f_outbound boolean, f_counted boolean, f_contacts uuid[], f_companies uuid[],
      f_conversation boolean, f_wait interval, f_awaiting boolean)
    returns table (metric text, grain text, at timestamptz, mailbox_id uuid, outbound boolean, key uuid, wait interval)
    language sql immutable as $$
    select x.metric, g.grain,
      case g.grain
        when 'hour' then date_bin('1 hour', f_date, timestamptz '2000-01-01 00:00+00')
        when 'day' then date_bin('1 day', f_date, timestamptz '2000-01-01 00:00+00')
        else date_trunc('month', f_date at time zone 'UTC') at time zone 'UTC' end,
      f_mailbox, x.outbound, x.key, x.wait
    from (
      select 'mail', f_outbound, null::uuid, null::interval where f_counted
      union all select 'contact', f_outbound, c, null from unnest(f_contacts) c where f_counted
      union all select 'company', f_outbound, c, null from unnest(f_companies) c where f_counted
      union all select 'conversation', false, null, f_wait where f_conversation
      union all select 'awaiting', false, null, null where f_awaiting
    ) x(metric, outbound, key, wait)
    cross join (values ('hour'), ('day'), ('month')) g(grain)
  $$`.execute(db);

  // Sorted upserts, so two transactions touching the same rollup rows take their locks in the same order.
  await sql`create function tidings_refresh_mail_facts(ids uuid[]) returns void language plpgsql as $$
  begin
    if ids is null or cardinality(ids) = 0 then return; end if;
    with old as (delete from mail_facts f using unnest(ids) i(id) where f.message_id = i.id returning f.*)
    insert into mail_rollups (metric, grain, at, mailbox_id, outbound, key, wait, n)
    select r.metric, r.grain, r.at, r.mailbox_id, r.outbound, r.key, r.wait, -count(*)
    from old o cross join lateral tidings_mail_fact_rollups(o.date, o.mailbox_id, o.outbound, o.counted, o.contact_ids,
      o.company_ids, o.conversation, o.wait, o.awaiting) r
    group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (metric, grain, at, mailbox_id, outbound, key, wait) do update set n = mail_rollups.n + excluded.n;

    with fresh as (insert into mail_facts select * from tidings_mail_facts_of(ids) returning *)
    insert into mail_rollups (metric, grain, at, mailbox_id, outbound, key, wait, n)
    select r.metric, r.grain, r.at, r.mailbox_id, r.outbound, r.key, r.wait, count(*)
    from fresh o cross join lateral tidings_mail_fact_rollups(o.date, o.mailbox_id, o.outbound, o.counted, o.contact_ids,
      o.company_ids, o.conversation, o.wait, o.awaiting) r
    group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (metric, grain, at, mailbox_id, outbound, key, wait) do update set n = mail_rollups.n + excluded.n;
  end $$`.execute(db);

  // messages: the changed messages and the ones of their threads whose facts a sibling decides.
  await sql`create function tidings_mail_facts_messages() returns trigger language plpgsql as $$
  declare ids uuid[];
  begin
    if tg_op = 'INSERT' then
      -- A new message can only end a sibling's conversation start or its wait for a reply.
      select array_agg(distinct id) into ids from (
        select n.id from new_rows n
        union all
        select f.message_id from (select distinct thread_id from new_rows where thread_id is not null) t
        join messages s on s.thread_id = t.thread_id
        join mail_facts f on f.message_id = s.id and (f.conversation or f.awaiting)
      ) x;
    elsif tg_op = 'UPDATE' then
      select array_agg(distinct x.mid) into ids from (
        select n.id, n.thread_id, o.thread_id as old_thread from new_rows n join old_rows o on o.id = n.id
        where (n.date, n."from", n.draft, n.answered, n.thread_id, n.mailbox_id, n.list_id, n.precedence, n.auto_submitted)
          is distinct from (o.date, o."from", o.draft, o.answered, o.thread_id, o.mailbox_id, o.list_id, o.precedence, o.auto_submitted)
      ) c cross join lateral (
        select c.id
        union all select s.id from messages s where s.thread_id in (c.thread_id, c.old_thread)
      ) x(mid);
    else
      select array_agg(distinct id) into ids from (
        select o.id from old_rows o
        union all
        select s.id from (select distinct thread_id from old_rows where thread_id is not null) t join messages s on s.thread_id = t.thread_id
      ) x;
    end if;
    perform tidings_refresh_mail_facts(ids);
    return null;
  end $$`.execute(db);
  await statementTriggers(db, 'messages', 'mail_facts_messages');

  // message_folders: only a membership in Junk or Trash (or in a folder just deleted) changes a fact.
  await sql`create function tidings_mail_facts_memberships() returns trigger language plpgsql as $$
  declare ids uuid[];
  begin
    if tg_op = 'INSERT' then
      select array_agg(distinct r.message_id) into ids from new_rows r
      left join mail_folders f on f.id = r.folder_id where f.id is null or f.role in ('junk', 'trash');
    elsif tg_op = 'UPDATE' then
      select array_agg(distinct r.message_id) into ids from (
        select message_id, folder_id from new_rows union all select message_id, folder_id from old_rows
      ) r left join mail_folders f on f.id = r.folder_id where f.id is null or f.role in ('junk', 'trash');
    else
      select array_agg(distinct r.message_id) into ids from old_rows r
      left join mail_folders f on f.id = r.folder_id where f.id is null or f.role in ('junk', 'trash');
    end if;
    perform tidings_refresh_mail_facts(ids);
    return null;
  end $$`.execute(db);
  await statementTriggers(db, 'message_folders', 'mail_facts_memberships');

  // A folder that becomes (or stops being) Junk or Trash.
  await sql`create function tidings_mail_facts_folders() returns trigger language plpgsql as $$
  begin
    perform tidings_refresh_mail_facts(array(
      select mf.message_id from new_rows n join old_rows o on o.id = n.id join message_folders mf on mf.folder_id = n.id
      where n.role is distinct from o.role));
    return null;
  end $$`.execute(db);
  await sql`create trigger mail_facts_folders_update after update on mail_folders
    referencing old table as old_rows new table as new_rows for each statement execute function tidings_mail_facts_folders()`.execute(db);

  // A mailbox whose address changes: what is outbound changes with it.
  await sql`create function tidings_mail_facts_mailboxes() returns trigger language plpgsql as $$
  begin
    perform tidings_refresh_mail_facts(array(
      select m.id from new_rows n join old_rows o on o.id = n.id join messages m on m.mailbox_id = n.id
      where lower(n.email) is distinct from lower(o.email)));
    return null;
  end $$`.execute(db);
  await sql`create trigger mail_facts_mailboxes_update after update on mailboxes
    referencing old table as old_rows new table as new_rows for each statement execute function tidings_mail_facts_mailboxes()`.execute(db);

  // Links made, changed or removed (the linker, merges, deletes).
  await sql`create function tidings_mail_facts_links() returns trigger language plpgsql as $$
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
  await statementTriggers(db, 'message_links', 'mail_facts_links');

  // A contact moving to another company moves its mail's company counts.
  await sql`create function tidings_mail_facts_contacts() returns trigger language plpgsql as $$
  begin
    perform tidings_refresh_mail_facts(array(
      select distinct l.message_id from new_rows n join old_rows o on o.id = n.id join message_links l on l.contact_id = n.id
      where n.company_id is distinct from o.company_id));
    return null;
  end $$`.execute(db);
  await sql`create trigger mail_facts_contacts_update after update on contacts
    referencing old table as old_rows new table as new_rows for each statement execute function tidings_mail_facts_contacts()`.execute(db);

  // Backfill in slices, so a large store does not build one huge statement.
  for (;;) {
    const done = await sql<{ n: number }>`
      with slice as (
        select m.id from messages m where m.date is not null
          and not exists (select 1 from mail_facts f where f.message_id = m.id)
        limit 20000
      ) select cardinality(array(select id from slice)) as n, tidings_refresh_mail_facts(array(select id from slice))`.execute(db);
    if (!done.rows[0] || Number(done.rows[0].n) === 0) break;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['messages', 'message_folders', 'message_links']) {
    for (const op of ['insert', 'update', 'delete']) {
      const prefix = { messages: 'mail_facts_messages', message_folders: 'mail_facts_memberships', message_links: 'mail_facts_links' }[t];
      await sql`drop trigger if exists ${sql.raw(`${prefix}_${op}`)} on ${sql.raw(t)}`.execute(db);
    }
  }
  await sql`drop trigger if exists mail_facts_folders_update on mail_folders`.execute(db);
  await sql`drop trigger if exists mail_facts_mailboxes_update on mailboxes`.execute(db);
  await sql`drop trigger if exists mail_facts_contacts_update on contacts`.execute(db);
  for (const f of [
    'tidings_mail_facts_messages()',
    'tidings_mail_facts_memberships()',
    'tidings_mail_facts_folders()',
    'tidings_mail_facts_mailboxes()',
    'tidings_mail_facts_links()',
    'tidings_mail_facts_contacts()',
    'tidings_refresh_mail_facts(uuid[])',
    'tidings_mail_fact_rollups(timestamptz, uuid, boolean, boolean, uuid[], uuid[], boolean, interval, boolean)',
    'tidings_mail_facts_of(uuid[])',
  ]) {
    await sql`drop function if exists ${sql.raw(f)}`.execute(db);
  }
  await sql`drop table if exists mail_rollups`.execute(db);
  await sql`drop table if exists mail_facts`.execute(db);
}
