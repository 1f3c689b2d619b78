import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';

// The analytics rollups (mail_facts, mail_rollups) are kept by triggers. After every kind of change the
// kept rows must equal the facts computed afresh from the messages, and the charts, read from them in a
// time zone whose days do not start on a UTC hour (Asia/Kolkata, +05:30) and over two arbitrary dates,
// must equal plain SQL over the messages written here.

const TZ = 'Asia/Kolkata';
const DAY = 86_400_000;
const NOW = Date.now();
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000);
const dayIn = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`analytics rollups on ${kind}`, () => {
    let t: TestApp;
    let ada: Client;
    let box = '';
    const ids: Array<{ id: string; threadId: string }> = [];
    const db = () => t.db.db;
    const me = 'ada@ours.test';

    /** mail_facts and the rollups (nonzero rows, summed) against the same facts computed from scratch. */
    async function expectKeptRowsFresh(): Promise<void> {
      const kept = await sql<{ f: string }>`select coalesce(json_agg(x order by x.message_id)::text, '[]') as f from (
        select message_id, mailbox_id, date, outbound, counted, (select array_agg(c order by c) from unnest(contact_ids) c) as contacts,
          (select array_agg(c order by c) from unnest(company_ids) c) as companies, conversation, wait, awaiting from mail_facts) x`.execute(
        db(),
      );
      const fresh = await sql<{ f: string }>`select coalesce(json_agg(x order by x.message_id)::text, '[]') as f from (
        select message_id, mailbox_id, date, outbound, counted, (select array_agg(c order by c) from unnest(contact_ids) c) as contacts,
          (select array_agg(c order by c) from unnest(company_ids) c) as companies, conversation, wait, awaiting
        from tidings_mail_facts_of(array(select id from messages))) x`.execute(db());
      expect(JSON.parse(kept.rows[0]!.f)).toEqual(JSON.parse(fresh.rows[0]!.f));
      const rollups = await sql<{ r: string }>`select coalesce(json_agg(x order by x.k)::text, '[]') as r from (
        select concat_ws('|', metric, grain, at, mailbox_id, outbound, key, wait) as k, n from mail_rollups where n <> 0) x`.execute(db());
      const recount = await sql<{ r: string }>`select coalesce(json_agg(x order by x.k)::text, '[]') as r from (
        select concat_ws('|', r.metric, r.grain, r.at, r.mailbox_id, r.outbound, r.key, r.wait) as k, count(*)::int as n
        from tidings_mail_facts_of(array(select id from messages)) f
        cross join lateral tidings_mail_fact_rollups(f.date, f.mailbox_id, f.outbound, f.counted, f.contact_ids, f.company_ids,
          f.conversation, f.wait, f.awaiting) r
        group by 1) x`.execute(db());
      const parsed = JSON.parse(rollups.rows[0]!.r);
      expect(parsed).toEqual(JSON.parse(recount.rows[0]!.r));
      expect(parsed.length).toBeGreaterThan(0);
    }

    beforeAll(async () => {
      t = await createTestApp(kind);
      ada = await setupAdmin(t.app);
      const adaId = (await ada.get('/api/v1/me')).data.user.id;
      const acme = (await ada.post('/api/v1/companies', { name: 'Acme', domains: ['acme.test'] })).data.company;
      await ada.post('/api/v1/contacts', { name: 'Wile', companyId: acme.id, emails: ['wile@acme.test'] });
      box = await insertMailbox(db(), adaId, me, { visibility: 'private' });
      const customers = ['wile@acme.test', 'road@runner.test', 'pest@blocked.test', 'li@example.cn'];
      // Conversations at minutes that fall anywhere in an hour, over 40 days: 1–3 customer messages, some answered.
      for (let i = 0; i < 24; i++) {
        const start = 40 * 24 * 60 - i * 2_371;
        const customer = customers[i % customers.length]!;
        const first = await insertMail(db(), t.services, box, { from: customer, to: me, subject: `c${i}`, date: at(start).toISOString() });
        ids.push(first);
        if (i % 3 !== 0) {
          ids.push(
            await insertMail(
              db(),
              t.services,
              box,
              { from: customer, to: me, subject: `c${i}`, date: at(start - 37).toISOString() },
              { threadId: first.threadId },
            ),
          );
        }
        if (i % 2 === 0) {
          ids.push(
            await insertMail(
              db(),
              t.services,
              box,
              { from: me, to: customer, subject: `c${i}`, date: at(start - 61 - i * 13).toISOString() },
              { threadId: first.threadId },
            ),
          );
        }
      }
      await insertMail(db(), t.services, box, {
        from: 'news@list.test',
        to: me,
        subject: 'n',
        date: at(3_000).toISOString(),
        headers: { 'List-Id': '<n.list.test>' },
      });
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    it('keeps the facts and rollups equal to a fresh count after stores, links, moves, deletes and edits', async () => {
      await expectKeptRowsFresh();

      // The linker links mail stored before the contact existed.
      const road = (await ada.post('/api/v1/contacts', { name: 'Road Runner', emails: ['road@runner.test'] })).data.contact;
      await t.services.linker.idle();
      expect(
        Number((await sql<{ n: string }>`select count(*) as n from message_links where contact_id = ${road.id}`.execute(db())).rows[0]!.n),
      ).toBeGreaterThan(0);
      await expectKeptRowsFresh();

      // The contact joins a company: its mail counts for that company.
      const runner = (await ada.post('/api/v1/companies', { name: 'Runner Inc' })).data.company;
      expect((await ada.patch(`/api/v1/contacts/${road.id}`, { companyId: runner.id })).statusCode).toBe(200);
      await expectKeptRowsFresh();

      // A message moved to Trash; a folder that becomes Junk.
      const trash = await db()
        .insertInto('mail_folders')
        .values({ mailbox_id: box, remote_id: 'Trash', path: 'Trash', name: 'Trash', delimiter: '/', role: 'trash' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('message_folders')
        .values({ message_id: ids[1]!.id, folder_id: trash.id, uid_validity: '1', remote_id: '1' })
        .execute();
      const other = await db()
        .insertInto('mail_folders')
        .values({ mailbox_id: box, remote_id: 'Spam', path: 'Spam', name: 'Spam', delimiter: '/', role: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('message_folders')
        .values({ message_id: ids[4]!.id, folder_id: other.id, uid_validity: '1', remote_id: '2' })
        .execute();
      await db().updateTable('mail_folders').set({ role: 'junk' }).where('id', '=', other.id).execute();
      await expectKeptRowsFresh();

      // Out of Trash again; the first message of a conversation deleted (the next one opens it now).
      await db().deleteFrom('message_folders').where('folder_id', '=', trash.id).execute();
      await db().deleteFrom('messages').where('id', '=', ids[2]!.id).execute();
      await expectKeptRowsFresh();

      // Flags, a draft reply, a message moved into another thread, the mailbox's address.
      await db().updateTable('messages').set({ answered: true }).where('id', '=', ids[6]!.id).execute();
      await db().updateTable('messages').set({ draft: true }).where('id', '=', ids[7]!.id).execute();
      await db().updateTable('messages').set({ thread_id: ids[9]!.threadId }).where('id', '=', ids[10]!.id).execute();
      await db().updateTable('mailboxes').set({ email: 'ADA@ours.test' }).where('id', '=', box).execute();
      await expectKeptRowsFresh();
      await db().updateTable('mailboxes').set({ email: 'someone.else@ours.test' }).where('id', '=', box).execute();
      await expectKeptRowsFresh();
      await db().updateTable('mailboxes').set({ email: me }).where('id', '=', box).execute();

      // The contact removed: its links go, and so do its counts.
      expect((await ada.delete(`/api/v1/contacts/${road.id}`)).statusCode).toBeLessThan(300);
      await expectKeptRowsFresh();
    });

    it('draws the mail charts from the rollups with the same numbers as plain SQL, in +05:30 over any two dates', async () => {
      await ada.post('/api/v1/blocklist', { kind: 'domain', value: 'blocked.test' });
      const from = dayIn(new Date(NOW - 33 * DAY));
      const to = dayIn(new Date(NOW - 2 * DAY));
      const q = `from=${from}&to=${to}&timeZone=${encodeURIComponent(TZ)}`;
      const get = async (name: string) => {
        const res = await ada.get(`/api/v1/analytics/${name}?${q}`);
        expect(res.statusCode, JSON.stringify(res.data)).toBe(200);
        return res.data;
      };
      const counted = sql`(
        select m.*, lower(coalesce(m."from"->0->>'address', '')) = ${me} as outbound from messages m
        where m.mailbox_id = ${box} and not m.draft
          and m.date >= (${from}::date)::timestamp at time zone ${TZ} and m.date < (${to}::date + 1)::timestamp at time zone ${TZ}
          and not ('blocked.test' = any(m.participant_domains))
          and not exists (select 1 from message_folders mf join mail_folders f on f.id = mf.folder_id
            where mf.message_id = m.id and f.role in ('junk', 'trash')))`;

      const weeks = await sql<{ week: string; inbound: number; outbound: number }>`
        select to_char(date_trunc('week', x.date at time zone ${TZ}), 'YYYY-MM-DD') as week,
          (count(*) filter (where not x.outbound))::int as inbound, (count(*) filter (where x.outbound))::int as outbound
        from ${counted} x group by 1`.execute(db());
      const perWeek = (await get('mail-per-week')).items.filter((w: { inbound: number; outbound: number }) => w.inbound + w.outbound > 0);
      expect(perWeek).toEqual(weeks.rows.sort((a, b) => a.week.localeCompare(b.week)));
      expect(perWeek.length).toBeGreaterThan(2);

      const companies = await sql<{ name: string; inbound: number; outbound: number }>`
        select c.name, (count(distinct x.id) filter (where not x.outbound))::int as inbound, (count(distinct x.id) filter (where x.outbound))::int as outbound
        from ${counted} x join message_links l on l.message_id = x.id and l.role <> 'bcc'
        left join contacts k on k.id = l.contact_id join companies c on c.id = coalesce(l.company_id, k.company_id)
        group by c.id, c.name order by 2 + 3 desc, c.name`.execute(db());
      expect(
        (await get('mail-by-company')).items.map(({ name, inbound, outbound }: Record<string, unknown>) => ({ name, inbound, outbound })),
      ).toEqual(companies.rows);

      const replies = await sql<{ conversations: number; answered: number; median: number | null }>`
        with firsts as (
          select m.id, m.thread_id, m.date from ${counted} m
          where not m.outbound and m.thread_id is not null and m.list_id is null
            and not exists (select 1 from messages e where e.thread_id = m.thread_id and e.date < m.date and not e.draft
              and lower(coalesce(e."from"->0->>'address', '')) <> ${me})
        ), waits as (
          select (select min(r.date) from messages r where r.thread_id = f.thread_id and r.date > f.date and not r.draft
            and lower(coalesce(r."from"->0->>'address', '')) = ${me}) - f.date as wait from firsts f
        )
        select count(*)::int as conversations, count(wait)::int as answered,
          round((percentile_cont(0.5) within group (order by extract(epoch from wait) / 60))::numeric, 1)::float8 as median from waits`.execute(
        db(),
      );
      const r = replies.rows[0]!;
      expect((await get('first-reply')).summary).toEqual({ conversations: r.conversations, answered: r.answered, medianMinutes: r.median });
      expect(r.answered).toBeGreaterThan(0);

      const waiting = await sql<{ n: number }>`
        select count(*)::int as n from ${counted} m
        where not m.outbound and not m.answered and m.list_id is null
          and not exists (select 1 from messages r where r.mailbox_id = m.mailbox_id and r.thread_id = m.thread_id and r.date > m.date
            and lower(coalesce(r."from"->0->>'address', '')) = ${me})`.execute(db());
      const ages = (await get('unanswered-age')).items as Array<{ bucket: string; count: number }>;
      expect(ages.reduce((s, a) => s + a.count, 0)).toBe(waiting.rows[0]!.n);
      expect(waiting.rows[0]!.n).toBeGreaterThan(0);
    });
  });
}
