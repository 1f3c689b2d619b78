/**
 * The mail of bench/lists.ts, straight through SQL (generate_series). Eight mailboxes of eight users (three
 * the admin's, one the member's, four colleagues'), six folders each (Inbox, Sent, Archive, Projects,
 * Trash, Junk), threads of four messages (three from the customer, then our reply), 5,000 contacts of 500
 * companies (50 "hot" contacts write a tenth of all threads), labels on the first mailbox (a Gmail one),
 * attachments on about one message in seven, 5% unread, 2% flagged, mail logged through a drop box, a
 * workspace blocklist entry, and the CRM rows a timeline shows (activities, deals, purchases).
 */
import { insertBenchMailbox } from './bench-database.ts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/db/schema.ts';

export interface BenchWorld {
  admin: { id: string };
  member: { id: string };
  mailboxes: Array<{ id: string; email: string; owner_user_id: string; visibility: string }>;
  /** Inbox of the admin's first mailbox. */
  inboxId: string;
  /** A contact and a company with the most mail, and ordinary ones. */
  hotContactId: string;
  hotCompanyId: string;
  contactId: string;
  companyId: string;
  /** A thread of the admin's first mailbox and one of the member's. */
  adminThreadId: string;
  memberThreadId: string;
  oldest: Date;
  newest: Date;
}

// Owner (index into the users) and visibility of each mailbox: the admin reads five, the member three.
const MAILBOXES = [
  { owner: 0, visibility: 'private' },
  { owner: 0, visibility: 'private' },
  { owner: 0, visibility: 'private' },
  { owner: 2, visibility: 'subject_only' },
  { owner: 3, visibility: 'private' },
  { owner: 4, visibility: 'metadata_only' },
  { owner: 5, visibility: 'private' },
  { owner: 1, visibility: 'private' },
] as const;
const FOLDERS = [
  ['INBOX', 'inbox'],
  ['Sent', 'sent'],
  ['Archive', 'archive'],
  ['Projects', null],
  ['Trash', 'trash'],
  ['Junk', 'junk'],
] as const;
const TABLES = ['messages', 'message_folders', 'attachments', 'message_links', 'threads'];
const YEARS = 3;

/** Fills `db` with `n` messages; secondary indexes are dropped for the load and rebuilt as they were. */
export async function fillLists(db: Kysely<Database>, n: number, log: (line: string) => void): Promise<BenchWorld> {
  const users = [];
  for (let u = 0; u < 8; u++) {
    users.push(
      await db
        .insertInto('users')
        .values({ email: `user${u}@ourco.com`, name: `User ${u}`, role: u === 0 ? 'admin' : 'member', password_hash: 'x', team: 'Sales' })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
  }
  const mailboxes: BenchWorld['mailboxes'] = [];
  for (const [i, m] of MAILBOXES.entries()) {
    const owner = users[m.owner]!.id;
    const email = `box${i}@ourco.com`;
    const { id } = await insertBenchMailbox(db, owner, email, { visibility: m.visibility });
    mailboxes.push({ id, email, owner_user_id: owner, visibility: m.visibility });
  }
  // Mailbox k's folders are numbered k*6 + f in the temporary map the message insert joins.
  await sql`create temporary table bench_folders (n int primary key, id uuid not null)`.execute(db);
  for (const [k, mb] of mailboxes.entries()) {
    for (const [f, [name, role]] of FOLDERS.entries()) {
      const row = await db
        .insertInto('mail_folders')
        .values({ mailbox_id: mb.id, remote_id: name, path: name, name, delimiter: '/', role, generation: '1' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`insert into bench_folders values (${k * 6 + f}, ${row.id}::uuid)`.execute(db);
    }
  }
  await sql`create temporary table bench_mailboxes (k int primary key, id uuid not null, email text not null)`.execute(db);
  for (const [k, mb] of mailboxes.entries()) await sql`insert into bench_mailboxes values (${k}, ${mb.id}::uuid, ${mb.email})`.execute(db);

  const t0 = performance.now();
  const admin = users[0]!.id;
  await sql`insert into companies (name, owner_user_id) select 'Company ' || c, ${admin}::uuid from generate_series(0, 499) c`.execute(db);
  await sql`insert into company_domains (domain, company_id) select 'company' || substr(name, 9) || '.com', id from companies`.execute(db);
  await sql`insert into contacts (name, owner_user_id, company_id)
    select 'Contact ' || u, ${admin}::uuid, (select id from companies where name = 'Company ' || (u % 500)) from generate_series(0, 4999) u`.execute(
    db,
  );
  await sql`insert into contact_emails (contact_id, address, is_primary)
    select id, 'user' || substr(name, 9) || '@company' || (substr(name, 9)::int % 500) || '.com', true from contacts`.execute(db);
  await sql`insert into blocklist_entries (scope, kind, value, created_by) values ('workspace', 'domain', 'spam.example', ${admin}::uuid)`.execute(
    db,
  );

  const indexes = await sql<{ indexdef: string; indexname: string }>`
    select i.indexname, i.indexdef from pg_indexes i
    where i.schemaname = 'public' and i.tablename in (${sql.join(TABLES)})
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const ix of indexes.rows) await sql`drop index ${sql.id(ix.indexname)}`.execute(db);
  // The rollup triggers (migration 2026-12-11-050) would compute each chunk's facts against threads without
  // their indexes (minutes a chunk); they are off for the load and the facts are backfilled once at the end.
  const rollupTriggers = await sql<{ tbl: string; name: string }>`
    select c.relname as tbl, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where c.relname in (${sql.join(TABLES)}) and t.tgname like 'mail\_facts\_%'`.execute(db);
  const rollups = async (on: boolean) => {
    for (const r of rollupTriggers.rows) {
      await sql`alter table ${sql.table(r.tbl)} ${sql.raw(on ? 'enable' : 'disable')} trigger ${sql.id(r.name)}`.execute(db);
    }
  };
  await rollups(false);

  const spacing = (YEARS * 365 * 86_400) / n; // seconds between two messages
  const CHUNK = 50_000;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK) - 1;
    // Message i is in mailbox i % 8 and thread T = (i / 32) * 8 + i % 8 (messages i, i+8, i+16, i+24).
    await sql`
      insert into threads (mailbox_id, thread_key, subject, subject_norm, last_message_at)
      select b.id, 't' || (t / 8), 'Order ' || t, 'order ' || t, now() - make_interval(secs => ${spacing}::float8 * (${n} - t * 4))
      from generate_series(${Math.floor(start / 32) * 8}::int, ${Math.floor(end / 32) * 8 + 7}::int) t
      join bench_mailboxes b on b.k = t % 8
      on conflict do nothing`.execute(db);
    await sql`
      insert into messages (id, mailbox_id, thread_id, subject, date, header_date, received_at, "from", "to", participants, snippet,
        text_body, raw_sha256, seen, flagged, answered, has_attachments, labels, size, logged_by_user_id, message_id_header)
      select gen_random_uuid(), b.id, th.id, case when s.reply then 'Re: ' else '' end || 'Order ' || s.t,
        case when i % 997 = 0 then null else now() - make_interval(secs => ${spacing}::float8 * (${n} - i)) end,
        case when i % 997 = 0 then null else now() - make_interval(secs => ${spacing}::float8 * (${n} - i)) end,
        now() - make_interval(secs => ${spacing}::float8 * (${n} - i)),
        jsonb_build_array(jsonb_build_object('name', null, 'address', case when s.reply then b.email else s.customer end)),
        jsonb_build_array(jsonb_build_object('name', null, 'address', case when s.reply then s.customer else b.email end)),
        case when i % 211 = 0 then array[s.customer, b.email, 'news@spam.example'] else array[s.customer, b.email] end,
        'About order ' || s.t || ': quantities, prices and delivery dates',
        'About order ' || s.t || ': quantities, prices and delivery dates. Regards',
        md5(i::text), s.reply or s.h % 20 <> 0, s.h % 50 = 0, not s.reply and s.h % 3 = 0 and (i / 8) % 4 = 2, s.h % 7 = 0,
        case when i % 8 = 0 and s.h % 10 < 3 then case when s.h % 10 = 0 then array['VIP', 'Customers'] else array['Customers'] end
          else '{}'::text[] end,
        2000 + s.h % 50000,
        case when i % 1000 = 6 then ${users[1]!.id}::uuid end,
        '<' || i || '@bench>'
      from generate_series(${start}::int, ${end}::int) i
      cross join lateral (select (i / 32) * 8 + i % 8 as t, (i / 8) % 4 = 3 as reply, abs(hashint4(i)) as h) s0
      cross join lateral (
        select s0.*, 'user' || c.c || '@company' || (c.c % 500) || '.com' as customer
        from (select case when s0.t % 10 = 0 then (s0.t / 10) % 50 else (s0.t * 7919) % 5000 end as c) c
      ) s
      join bench_mailboxes b on b.k = i % 8
      join threads th on th.mailbox_id = b.id and th.thread_key = 't' || (s.t / 8)`.execute(db);
    log(`  ${end + 1} messages, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  // Folders: our replies in Sent; of the rest 70% Inbox, 15% Archive, 5% each Projects, Trash and Junk.
  await sql`
    insert into message_folders (message_id, folder_id, uid_validity, remote_id)
    select m.id, f.id, '1', m.message_id_header
    from messages m
    join bench_mailboxes b on b.id = m.mailbox_id
    cross join lateral (select abs(hashint4(substr(m.message_id_header, 2, length(m.message_id_header) - 8)::int + 1)) % 20 as h) x
    join bench_folders f on f.n = b.k * 6 + case
      when lower(m."from"->0->>'address') = b.email then 1
      when x.h < 14 then 0 when x.h < 17 then 2 when x.h = 17 then 3 when x.h = 18 then 4 else 5 end`.execute(db);
  await sql`
    insert into attachments (message_id, position, filename, content_type, size, sha256)
    select m.id, p, 'quote-' || p || '.pdf', 'application/pdf', 40000, md5(m.id::text || p)
    from messages m cross join generate_series(0, 1) p
    where m.has_attachments and (p = 0 or m.size % 2 = 0)`.execute(db);
  await sql`
    insert into message_links (message_id, contact_id, role)
    select m.id, ce.contact_id, case when m.participants[1] = lower(m."from"->0->>'address') then 'from' else 'to' end
    from messages m join contact_emails ce on ce.address = m.participants[1]`.execute(db);
  await sql`
    insert into message_links (message_id, company_id, role)
    select m.id, cd.company_id, case when m.participants[1] = lower(m."from"->0->>'address') then 'from' else 'to' end
    from messages m join company_domains cd on cd.domain = split_part(m.participants[1], '@', 2)`.execute(db);
  await sql`update threads t set last_message_at = x.d from (select thread_id, max(date) d from messages group by thread_id) x where x.thread_id = t.id`.execute(
    db,
  );
  for (const ix of indexes.rows) await sql.raw(ix.indexdef).execute(db);
  log(`  folders, attachments, links and indexes, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await rollups(true);
  await sql`analyze`.execute(db);
  for (;;) {
    const slice = await sql<{ n: number }>`
      with slice as (
        select m.id from messages m where m.date is not null and not exists (select 1 from mail_facts f where f.message_id = m.id)
        limit 20000
      ) select cardinality(array(select id from slice)) as n, tidings_refresh_mail_facts(array(select id from slice))`.execute(db);
    if (!Number(slice.rows[0]?.n)) break;
  }
  log(`  mail facts and rollups, ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  await sql`insert into deals (name, amount, currency, stage_id, owner_user_id, status, lost_reason, closed_at, company_id, created_at)
    select 'Deal ' || d, (d % 97) * 1000, 'CNY', s.id, ${admin}::uuid, s.kind, case when s.kind = 'lost' then 'price' end,
      case when s.kind <> 'open' then now() - make_interval(days => d % 300) end,
      (select id from companies where name = 'Company ' || (d % 500)), now() - make_interval(days => d % 1000)
    from generate_series(1, 5000) d
    join lateral (select id, kind from pipeline_stages order by position offset (d % 6) limit 1) s on true`.execute(db);
  await sql`insert into activities (kind, subject, contact_id, company_id, owner_user_id, occurred_at)
    select (array['note', 'task', 'call'])[1 + a % 3], 'Activity ' || a, c.id, c.company_id, ${admin}::uuid, now() - make_interval(hours => a % 26000)
    from generate_series(1, 50000) a join contacts c on c.name = 'Contact ' || (case when a % 5 = 0 then a % 50 else a % 5000 end)`.execute(
    db,
  );
  await sql`insert into purchases (company_id, purchased_on, items, amount, currency, owner_user_id)
    select (select id from companies where name = 'Company ' || (p % 500)), (now() - make_interval(days => p % 1000))::date, '[]',
      (p % 89) * 10, 'CNY', ${admin}::uuid
    from generate_series(1, 50000) p`.execute(db);
  await sql`vacuum analyze`.execute(db);

  return loadWorld(db);
}

/** The rows the benchmark's queries start from, read back from a filled database. */
export async function loadWorld(db: Kysely<Database>): Promise<BenchWorld> {
  const one = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(db)).rows[0]!;
  const users = await db.selectFrom('users').select(['id', 'email']).orderBy('email').execute();
  const mailboxes = await db.selectFrom('mailboxes').select(['id', 'email', 'owner_user_id', 'visibility']).orderBy('email').execute();
  const contact = (name: string) => one(sql<{ id: string; company_id: string }>`select id, company_id from contacts where name = ${name}`);
  const hot = await contact('Contact 0');
  const plain = await contact('Contact 1234');
  const thread = async (mailboxId: string) =>
    (
      await one(
        sql<{ id: string }>`select id from threads where mailbox_id = ${mailboxId}::uuid order by last_message_at desc nulls last limit 1`,
      )
    ).id;
  const range = await one(sql<{ oldest: Date; newest: Date }>`select min(date) as oldest, max(date) as newest from messages`);
  const inbox = await one(sql<{ id: string }>`select id from mail_folders where mailbox_id = ${mailboxes[0]!.id}::uuid and role = 'inbox'`);
  return {
    admin: users.find((u) => u.email === 'user0@ourco.com')!,
    member: users.find((u) => u.email === 'user1@ourco.com')!,
    mailboxes,
    inboxId: inbox.id,
    hotContactId: hot.id,
    hotCompanyId: hot.company_id,
    contactId: plain.id,
    companyId: plain.company_id,
    adminThreadId: await thread(mailboxes[0]!.id),
    memberThreadId: await thread(mailboxes[7]!.id),
    oldest: new Date(range.oldest),
    newest: new Date(range.newest),
  };
}
