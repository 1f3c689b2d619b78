import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';

// Every chart of /api/v1/analytics against plain SQL written here (not the analytics module): the
// expected figures come from the tables with the reader's mailboxes and blocklist spelled out by hand.
// Ada (admin) may read her own mailbox and Mei's shared one, never Mei's private one.

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
// One base instant, so a reply 3 hours after a message is exactly 180 minutes after it.
const NOW = Date.now();
const ago = (days: number, hours = 0) => new Date(NOW - days * DAY + hours * 3_600_000);
const dayIn = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

describe('GET /api/v1/analytics/* on pglite', () => {
  let t: TestApp;
  let ada: Client;
  let mei: Client;
  let adaId: string;
  let meiId: string;
  const box = { ada: '', shared: '', hidden: '' };
  const from = dayIn(ago(60));
  const to = dayIn(new Date());
  const range = `from=${from}&to=${to}&timeZone=${encodeURIComponent(TZ)}`;
  const db = () => t.db.db;

  const chart = async (client: Client, name: string, extra = '') => {
    const res = await client.get(`/api/v1/analytics/${name}?${range}${extra}`);
    expect(res.statusCode, JSON.stringify(res.data)).toBe(200);
    return res.data;
  };
  const rows = async <R>(query: ReturnType<typeof sql<R>>) => (await query.execute(db())).rows;

  async function mail(mailboxId: string, fromAddr: string, toAddr: string, at: Date, threadId?: string, headers?: Record<string, string>) {
    return insertMail(
      db(),
      t.services,
      mailboxId,
      { from: fromAddr, to: toAddr, subject: 's', date: at.toISOString(), headers },
      { threadId },
    );
  }

  beforeAll(async () => {
    t = await createTestApp('pglite');
    ada = await setupAdmin(t.app);
    adaId = (await ada.get('/api/v1/me')).data.user.id;
    ({ client: mei, id: meiId } = await signInMember(t, ada, 'mei@example.com', '李梅'));
    expect((await ada.patch(`/api/v1/users/${meiId}`, { team: ' Sales ' })).data.user.team).toBe('Sales');

    const tencent = (await ada.post('/api/v1/companies', { name: '腾讯', domains: ['tencent.com'] })).data.company;
    const pony = (await ada.post('/api/v1/contacts', { name: '马化腾', companyId: tencent.id, emails: ['pony@tencent.com'] })).data.contact;
    const zhang = (await ada.post('/api/v1/contacts', { name: '张伟', emails: ['zhang.wei@example.net'] })).data.contact;

    box.ada = await insertMailbox(db(), adaId, 'ada@ours.test', { visibility: 'private' });
    box.shared = await insertMailbox(db(), meiId, 'mei@ours.test', { visibility: 'share_all' });
    box.hidden = await insertMailbox(db(), meiId, 'mei.private@ours.test', { visibility: 'private' });

    // Ada: answered in 3 hours, answered in a day, waiting 2 days, waiting 40 days, a newsletter, spam in Junk, a blocked sender.
    const t1 = await mail(box.ada, 'Pony <pony@tencent.com>', 'ada@ours.test', ago(10));
    await mail(box.ada, 'ada@ours.test', 'pony@tencent.com', ago(10, 3), t1.threadId);
    const t2 = await mail(box.ada, 'zhang.wei@example.net', 'ada@ours.test', ago(20));
    await mail(box.ada, 'zhang.wei@example.net', 'ada@ours.test', ago(20, 2), t2.threadId);
    await mail(box.ada, 'ada@ours.test', 'zhang.wei@example.net', ago(19), t2.threadId);
    await mail(box.ada, 'sales@tencent.com', 'ada@ours.test', ago(2));
    await mail(box.ada, 'pony@tencent.com', 'ada@ours.test', ago(40));
    await mail(box.ada, 'news@lists.example.org', 'ada@ours.test', ago(5), undefined, { 'List-Id': '<weekly.example.org>' });
    const spam = await mail(box.ada, 'win@prize.example', 'ada@ours.test', ago(4));
    const junk = await db()
      .insertInto('mail_folders')
      .values({ mailbox_id: box.ada, remote_id: 'Junk', path: 'Junk', name: 'Junk', delimiter: '/', role: 'junk' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('message_folders')
      .values({ message_id: spam.id, folder_id: junk.id, uid_validity: '1', remote_id: '1' })
      .execute();
    await mail(box.ada, 'pest@blocked.example', 'ada@ours.test', ago(3));
    await ada.post('/api/v1/blocklist', { kind: 'domain', value: 'blocked.example' });
    // Mei's shared mailbox: answered in an hour, and a message she started. Her private one: Ada never sees it.
    const t3 = await mail(box.shared, 'zhang.wei@example.net', 'mei@ours.test', ago(8));
    await mail(box.shared, 'mei@ours.test', 'zhang.wei@example.net', ago(8, 1), t3.threadId);
    await mail(box.shared, 'mei@ours.test', 'pony@tencent.com', ago(15));
    const t4 = await mail(box.hidden, 'pony@tencent.com', 'mei.private@ours.test', ago(5));
    await mail(box.hidden, 'mei.private@ours.test', 'pony@tencent.com', ago(5, 5), t4.threadId);

    const stages = (await ada.get('/api/v1/pipeline/stages')).data.items;
    const open = stages.filter((s: { kind: string }) => s.kind === 'open');
    const won = stages.find((s: { kind: string }) => s.kind === 'won');
    const lost = stages.find((s: { kind: string }) => s.kind === 'lost');
    const month = (n: number) => {
      const d = new Date();
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 15)).toISOString().slice(0, 10);
    };
    await ada.post('/api/v1/deals', { name: 'A', currency: 'CNY', amount: '1000.50', stageId: open[0].id, expectedCloseDate: month(0) });
    await mei.post('/api/v1/deals', { name: 'B', currency: 'CNY', amount: '200', stageId: open[1].id, expectedCloseDate: month(1) });
    await ada.post('/api/v1/deals', { name: 'E', currency: 'CNY', amount: '300', stageId: open[2].id });
    const c = (await mei.post('/api/v1/deals', { name: 'C', currency: 'USD', amount: '99', stageId: won.id })).data.deal;
    await ada.post('/api/v1/deals', { name: 'D', currency: 'CNY', amount: '500', stageId: lost.id, lostReason: 'price' });
    await db()
      .updateTable('deals')
      .set({ created_at: ago(50), closed_at: ago(35) })
      .where('id', '=', c.id)
      .execute();

    const buy = (client: Client, body: Record<string, unknown>) => client.post('/api/v1/purchases', body);
    const line = (price: string) => [{ name: 'x', quantity: '1', unitPrice: price }];
    await buy(ada, { companyId: tencent.id, purchasedOn: dayIn(ago(10)), items: line('1000'), currency: 'CNY' });
    await buy(ada, { contactId: zhang.id, purchasedOn: dayIn(ago(40)), items: line('300'), currency: 'CNY' });
    await buy(mei, { contactId: pony.id, purchasedOn: dayIn(ago(5)), items: line('200.25'), currency: 'CNY' });
    await buy(mei, { contactId: zhang.id, purchasedOn: dayIn(ago(5)), items: line('50'), currency: 'USD' });
    await buy(ada, { contactId: zhang.id, purchasedOn: dayIn(ago(90)), items: line('7777'), currency: 'CNY' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  // What Ada may count: her mailbox and Mei's shared one, without the Junk message and the blocked sender.
  const adaMail = () => sql`(
    select m.*, lower(m."from"->0->>'address') = lower(mb.email) as outbound, mb.owner_user_id
    from messages m join mailboxes mb on mb.id = m.mailbox_id
    where m.mailbox_id in (${box.ada}, ${box.shared})
      and not exists (select 1 from message_folders f join mail_folders mf on mf.id = f.folder_id where f.message_id = m.id and mf.role = 'junk')
      and not ('blocked.example' = any(m.participant_domains))
      and m.date >= ((${from}::date)::timestamp at time zone 'Asia/Shanghai')
  )`;

  it('counts mail in and out per week the reader may read', async () => {
    const d = await chart(ada, 'mail-per-week');
    expect(d).toMatchObject({ from, to, timeZone: TZ });
    const expected = await rows<{ week: string; inbound: string; outbound: string }>(sql`
      select to_char(date_trunc('week', x.date at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as week,
        count(*) filter (where not x.outbound) as inbound, count(*) filter (where x.outbound) as outbound
      from ${adaMail()} x group by 1`);
    const nonZero = d.items.filter((i: { inbound: number; outbound: number }) => i.inbound + i.outbound > 0);
    expect(nonZero.sort((a: any, b: any) => a.week.localeCompare(b.week))).toEqual(
      expected
        .map((e) => ({ week: e.week, inbound: Number(e.inbound), outbound: Number(e.outbound) }))
        .sort((a, b) => a.week.localeCompare(b.week)),
    );
    const total = (xs: Array<{ inbound: number; outbound: number }>) => xs.reduce((n, i) => n + i.inbound + i.outbound, 0);
    // 8 messages of Ada's (the spam in Junk and the blocked sender left out) and 3 of Mei's shared mailbox; every week is listed.
    expect(total(d.items)).toBe(11);
    expect(d.items.length).toBeGreaterThanOrEqual(9);
    // Mei counts her shared and her private mailbox, never Ada's private one.
    expect(total((await chart(mei, 'mail-per-week')).items)).toBe(5);
  });

  it('counts mail per contact, company and owner through the linker’s links', async () => {
    const byContact = await rows<{ name: string; inbound: string; outbound: string }>(sql`
      select c.name, count(distinct x.id) filter (where not x.outbound) as inbound, count(distinct x.id) filter (where x.outbound) as outbound
      from ${adaMail()} x join message_links l on l.message_id = x.id and l.role <> 'bcc' join contacts c on c.id = l.contact_id
      group by c.name order by c.name`);
    const contacts = (await chart(ada, 'mail-by-contact')).items;
    expect(contacts.map((c: any) => [c.name, c.inbound, c.outbound]).sort()).toEqual(
      byContact.map((r) => [r.name, Number(r.inbound), Number(r.outbound)]).sort(),
    );
    expect(contacts.find((c: any) => c.name === '马化腾')).toMatchObject({ inbound: 2, outbound: 2 });

    const companies = (await chart(ada, 'mail-by-company')).items;
    const tencent = await rows<{ n: string }>(sql`
      select count(distinct x.id) as n from ${adaMail()} x
      where exists (select 1 from unnest(x.participants) p where p like '%@tencent.com' and p <> 'ada@ours.test')`);
    expect(companies).toEqual([expect.objectContaining({ name: '腾讯' })]);
    expect(companies[0].inbound + companies[0].outbound).toBe(Number(tencent[0]!.n));

    const owners = (await chart(ada, 'mail-by-owner')).items;
    const byOwner = await rows<{ owner_user_id: string; n: string }>(
      sql`select x.owner_user_id, count(*) as n from ${adaMail()} x group by 1`,
    );
    expect(owners.map((o: any) => [o.id, o.inbound + o.outbound]).sort()).toEqual(
      byOwner.map((o) => [o.owner_user_id, Number(o.n)]).sort(),
    );
    expect(owners.find((o: any) => o.id === meiId)).toMatchObject({ name: '李梅', inbound: 1, outbound: 2 });
  });

  it('gives the median time to first reply per week and overall', async () => {
    const d = await chart(ada, 'first-reply');
    const waits = await rows<{ week: string; minutes: string | null }>(sql`
      select to_char(date_trunc('week', f.date at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as week, extract(epoch from (
        select min(r.date) from messages r join mailboxes rb on rb.id = r.mailbox_id
        where r.thread_id = f.thread_id and r.date > f.date and lower(r."from"->0->>'address') = rb.email
      ) - f.date) / 60 as minutes
      from ${adaMail()} f
      where not f.outbound and f.list_id is null
        and f.date = (select min(e.date) from messages e join mailboxes eb on eb.id = e.mailbox_id
                      where e.thread_id = f.thread_id and lower(e."from"->0->>'address') <> eb.email)`);
    const answered = waits
      .map((w) => Number(w.minutes))
      .filter((m) => !Number.isNaN(m) && m > 0)
      .sort((a, b) => a - b);
    expect(answered).toEqual([60, 180, 1440]);
    expect(d.summary).toEqual({ conversations: waits.length, answered: 3, medianMinutes: 180 });
    expect(d.items.reduce((n: number, i: any) => n + i.conversations, 0)).toBe(waits.length);
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const perWeek = new Map<string, number[]>();
    for (const w of waits) if (w.minutes !== null) perWeek.set(w.week, [...(perWeek.get(w.week) ?? []), Number(w.minutes)]);
    expect(Object.fromEntries(d.items.filter((i: any) => i.answered).map((i: any) => [i.week, i.medianMinutes]))).toEqual(
      Object.fromEntries([...perWeek].map(([week, xs]) => [week, median(xs)])),
    );
  });

  it('counts unanswered mail by age', async () => {
    const d = await chart(ada, 'unanswered-age');
    expect(d.items.map((i: any) => i.bucket)).toEqual(['under_1_day', '1_to_3_days', '3_to_7_days', '7_to_30_days', 'over_30_days']);
    const expected = await rows<{ days: string }>(sql`
      select floor(extract(epoch from now() - x.date) / 86400) as days from ${adaMail()} x
      where not x.outbound and x.list_id is null and not x.answered
        and not exists (select 1 from messages r join mailboxes rb on rb.id = r.mailbox_id
                        where r.thread_id = x.thread_id and r.date > x.date and lower(r."from"->0->>'address') = rb.email)`);
    const bucket = (days: number) => (days < 1 ? 0 : days < 3 ? 1 : days < 7 ? 2 : days < 30 ? 3 : 4);
    const counts = [0, 0, 0, 0, 0];
    for (const r of expected) counts[bucket(Number(r.days))]!++;
    expect(d.items.map((i: any) => i.count)).toEqual(counts);
    expect(counts).toEqual([0, 1, 0, 0, 1]);
  });

  it('sums the pipeline by stage with the stage weight, over time, the win rate and the forecast', async () => {
    const stages = (await chart(ada, 'pipeline-by-stage')).items;
    const expected = await rows<{ id: string; currency: string | null; n: string; amount: string | null }>(sql`
      select s.id, d.currency, count(d.id) as n, sum(d.amount)::text as amount
      from pipeline_stages s left join deals d on d.stage_id = s.id group by s.id, s.position, d.currency order by s.position, d.currency`);
    expect(stages.map((s: any) => [s.stageId, s.currency, s.count, s.amount])).toEqual(
      expected.map((e) => [e.id, e.currency, Number(e.n), e.amount ?? '0']),
    );
    expect(stages.filter((s: any) => s.kind === 'open').map((s: any) => s.probability)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(stages[0]).toMatchObject({ amount: '1000.50', weighted: '200.10' });

    const overTime = (await chart(ada, 'pipeline-over-time')).items;
    const lastWeek = (cur: string) => overTime.filter((w: any) => w.currency === cur).at(-1);
    const openNow = await rows<{ currency: string; amount: string }>(
      sql`select currency, sum(amount)::text as amount from deals where status = 'open' group by currency`,
    );
    expect(lastWeek('CNY').open).toBe(openNow.find((o) => o.currency === 'CNY')!.amount);
    expect(
      overTime
        .filter((w: any) => w.currency === 'USD')
        .map((w: any) => w.won)
        .filter((v: string) => v !== '0'),
    ).toEqual(['99.00']);

    const wins = await chart(ada, 'win-rate');
    const closed = await rows<{ status: string; n: string }>(sql`
      select status, count(*) as n from deals
      where status in ('won', 'lost') and closed_at >= ((${from}::date)::timestamp at time zone 'Asia/Shanghai') group by status`);
    const n = (s: string) => Number(closed.find((c) => c.status === s)?.n ?? 0);
    expect(wins.summary).toEqual({ won: n('won'), lost: n('lost'), winRate: 0.5 });

    const forecast = (await chart(ada, 'forecast')).items;
    const weighted = await rows<{ w: string }>(sql`
      select round(sum(d.amount * (select count(*) from pipeline_stages o where o.kind = 'open' and o.position <= s.position)
        / ((select count(*) from pipeline_stages where kind = 'open') + 1)), 2)::text as w
      from deals d join pipeline_stages s on s.id = d.stage_id where d.status = 'open'`);
    const sum = forecast.reduce((c: number, f: any) => c + Math.round(Number(f.weighted) * 100), 0) / 100;
    expect(sum).toBe(Number(weighted[0]!.w));
    expect(forecast.map((f: any) => f.period)).toContain('unscheduled');
  });

  it('sums purchase revenue per month and ranks customers', async () => {
    const months = (await chart(ada, 'revenue-per-month')).items;
    const expected = await rows<{ month: string; currency: string; amount: string }>(sql`
      select to_char(purchased_on, 'YYYY-MM') || '-01' as month, currency, sum(amount)::text as amount
      from purchases where purchased_on between ${from}::date and ${to}::date group by 1, 2`);
    expect(
      months
        .filter((m: any) => m.count > 0)
        .map((m: any) => [m.month, m.currency, m.amount])
        .sort(),
    ).toEqual(expected.map((e) => [e.month, e.currency, e.amount]).sort());
    const top = (await chart(ada, 'top-customers')).items;
    expect(top.map((c: any) => [c.currency, c.name, c.amount])).toEqual([
      ['CNY', '腾讯', '1200.25'],
      ['CNY', '张伟', '300.00'],
      ['USD', '张伟', '50.00'],
    ]);
  });

  it('filters by owner and by team, and never shows a mailbox the reader may not see', async () => {
    const mine = await chart(ada, 'mail-by-owner', `&ownerId=${meiId}`);
    expect(mine.items).toEqual([{ id: meiId, name: '李梅', inbound: 1, outbound: 2 }]);
    const team = await chart(ada, 'mail-by-owner', '&team=sales');
    expect(team.items).toEqual(mine.items);
    expect((await chart(mei, 'mail-by-owner', '&team=Sales')).items).toEqual([{ id: meiId, name: '李梅', inbound: 2, outbound: 3 }]);
    expect((await chart(ada, 'mail-per-week', '&team=nobody')).items.every((w: any) => w.inbound + w.outbound === 0)).toBe(true);
    const teamDeals = (await chart(ada, 'pipeline-by-stage', '&team=Sales')).items.filter((s: any) => s.count > 0);
    expect(teamDeals.map((s: any) => s.amount).sort()).toEqual(['200.00', '99.00']);
    const teamRevenue = (await chart(ada, 'top-customers', '&team=Sales')).items;
    expect(teamRevenue.map((c: any) => [c.name, c.amount])).toEqual([
      ['腾讯', '200.25'],
      ['张伟', '50.00'],
    ]);
  });

  it('serves each chart as CSV with the same figures', async () => {
    const res = await ada.get(`/api/v1/analytics/mail-per-week.csv?${range}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="mail-per-week_${from}_${to}.csv"`);
    const text = res.body as string;
    expect(text.startsWith('\uFEFFweek,inbound,outbound\r\n')).toBe(true);
    const json = (await chart(ada, 'mail-per-week')).items;
    expect(text.slice(1).trim().split('\r\n').slice(1)).toEqual(json.map((w: any) => `${w.week},${w.inbound},${w.outbound}`));
    const top = (await ada.get(`/api/v1/analytics/top-customers.csv?${range}`)).body as string;
    expect(top).toContain(',腾讯,CNY,2,1200.25\r\n');
  });

  it('refuses bad filters with a problem and needs a session', async () => {
    expectProblem(await ada.get('/api/v1/analytics/mail-per-week?from=2026-05-01&to=2026-04-01'), 400, 'validation_failed');
    expectProblem(await ada.get('/api/v1/analytics/mail-per-week?from=2010-01-01&to=2026-04-01'), 400, 'validation_failed');
    expectProblem(await ada.get('/api/v1/analytics/mail-per-week?timeZone=Mars%2FOlympus'), 400, 'validation_failed');
    expectProblem(await ada.get('/api/v1/analytics/forecast?ownerId=nope'), 400, 'validation_failed');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/analytics/forecast' })).statusCode).toBe(401);
    const d = await ada.get('/api/v1/analytics/mail-per-week');
    expect(d.data).toMatchObject({ timeZone: 'UTC', to: new Date().toISOString().slice(0, 10) });
  });
});
