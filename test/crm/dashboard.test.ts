import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkMessages } from '../../src/linking/index.ts';
import type { Visibility } from '../../src/mailboxes/tables.ts';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { insertMailbox } from '../support/rows.ts';

// The dashboard's figures on PGlite, with mail rows written straight into the store and linked to the CRM
// as the store links arriving mail: three mailboxes of different visibility show that a reader never counts
// (or reads the subject of) mail they may not see.

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

describe('GET /api/v1/dashboard on pglite', () => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let adminId: string;
  let memberId: string;
  const box: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const msg: Record<string, string> = {};

  const mailbox = (owner: string, email: string, visibility: Visibility) => insertMailbox(t.db.db, owner, email, { visibility });

  async function thread(mailboxId: string) {
    return (
      await t.db.db
        .insertInto('threads')
        .values({ mailbox_id: mailboxId, thread_key: randomUUID() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  async function message(
    key: string,
    mailboxId: string,
    m: { from: string; to: string[]; at: Date; subject: string; threadId?: string; listId?: string },
  ) {
    const participants = [m.from, ...m.to].map((a) => a.toLowerCase());
    const row = await t.db.db
      .insertInto('messages')
      .values({
        mailbox_id: mailboxId,
        subject: m.subject,
        date: m.at,
        raw_sha256: randomUUID(),
        from: JSON.stringify([{ name: null, address: m.from }]),
        to: JSON.stringify(m.to.map((address) => ({ name: null, address }))),
        cc: '[]',
        bcc: '[]',
        reply_to: '[]',
        participants,
        thread_id: m.threadId ?? null,
        list_id: m.listId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const address = (a: string) => ({ name: null, address: a });
    await linkMessages(t.db.db, [{ id: row.id, from: [address(m.from)], to: m.to.map(address), cc: [], bcc: [] }]);
    msg[key] = row.id;
  }

  const dashboard = async (client: Client, query: string) => {
    const res = await client.get(`/api/v1/dashboard?${query}`);
    expect(res.statusCode).toBe(200);
    return res.data;
  };
  const counts = (list: Array<{ name: string; sent: number; received: number }>) => list.map((c) => [c.name, c.sent, c.received]);

  beforeAll(async () => {
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
    adminId = (await admin.get('/api/v1/me')).data.user.id;
    ({ client: member, id: memberId } = await signInMember(t, admin, 'mei@example.com', '李梅'));

    const tencent = (await admin.post('/api/v1/companies', { name: '腾讯', domains: ['tencent.com'] })).data.company;
    await admin.post('/api/v1/contacts', { name: '马化腾', companyId: tencent.id, emails: ['pony@tencent.com'] });
    await admin.post('/api/v1/contacts', { name: '张伟', emails: ['zhang.wei@example.net'] });

    box.a = await mailbox(adminId, 'ada@ours.test', 'private');
    box.b = await mailbox(memberId, 'mei@ours.test', 'metadata_only');
    box.c = await mailbox(memberId, 'mei.private@ours.test', 'private');

    const t1 = await thread(box.a);
    await message('ponyAsks', box.a, { from: 'Pony@Tencent.com', to: ['ada@ours.test'], at: ago(72), subject: '报价', threadId: t1 });
    await message('adaAnswers', box.a, { from: 'ada@ours.test', to: ['pony@tencent.com'], at: ago(60), subject: 'Re: 报价', threadId: t1 });
    await message('zhangWaits', box.a, {
      from: 'zhang.wei@example.net',
      to: ['ada@ours.test'],
      at: ago(100),
      subject: '合同',
      threadId: await thread(box.a),
    });
    await message('newsletter', box.a, {
      from: 'news@lists.example.org',
      to: ['ada@ours.test'],
      at: ago(80),
      subject: 'Weekly',
      listId: '<weekly.example.org>',
    });
    await message('tencentFresh', box.a, { from: 'sales@tencent.com', to: ['ada@ours.test'], at: ago(2), subject: 'Hello' });
    await message('ponyOld', box.a, { from: 'pony@tencent.com', to: ['ada@ours.test'], at: ago(24 * 40), subject: 'Old' });
    await message('meiShared', box.b, {
      from: 'pony@tencent.com',
      to: ['mei@ours.test'],
      at: ago(50),
      subject: 'Secret pricing',
      threadId: await thread(box.b),
    });
    await message('meiPrivate', box.c, {
      from: 'pony@tencent.com',
      to: ['mei.private@ours.test'],
      at: ago(50),
      subject: 'Private',
      threadId: await thread(box.c),
    });

    const stages = (await admin.get('/api/v1/pipeline/stages')).data.items;
    const [lead, , , , won] = stages;
    await admin.post('/api/v1/deals', { name: 'A', currency: 'CNY', amount: '1000.50', stageId: lead.id });
    await member.post('/api/v1/deals', { name: 'B', currency: 'CNY', amount: '200', stageId: lead.id });
    await member.post('/api/v1/deals', { name: 'C', currency: 'USD', amount: '99', stageId: won.id });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('counts mail per customer company and contact in my own mailboxes over 30 days', async () => {
    const d = await dashboard(admin, 'scope=me');
    expect(d).toMatchObject({ scope: 'me', hours: 48, mailWindowDays: 30 });
    // The domain alone makes sales@tencent.com count for 腾讯; the 40-day-old message is outside the window.
    expect(counts(d.mailByCompany)).toEqual([['腾讯', 1, 2]]);
    expect(counts(d.mailByContact)).toEqual([
      ['马化腾', 1, 1],
      ['张伟', 0, 1],
    ]);
  });

  it('lists inbound mail without a later reply from the mailbox, oldest first, skipping lists and fresh mail', async () => {
    const d = await dashboard(admin, 'scope=me&hours=48');
    expect(d.unanswered.total).toBe(1);
    expect(d.unanswered.items).toEqual([
      expect.objectContaining({
        id: msg.zhangWaits,
        subject: '合同',
        mailboxEmail: 'ada@ours.test',
        contact: expect.objectContaining({ name: '张伟' }),
      }),
    ]);
    const shortWait = await dashboard(admin, 'scope=me&hours=1');
    expect(shortWait.unanswered.items.map((m: { id: string }) => m.id)).toEqual([msg.zhangWaits, msg.tencentFresh]);
  });

  it('team scope adds mailboxes shared with me, hides subjects they do not share, and never counts private ones', async () => {
    const d = await dashboard(admin, 'scope=team');
    expect(counts(d.mailByCompany)).toEqual([['腾讯', 1, 3]]);
    const ids = d.unanswered.items.map((m: { id: string }) => m.id);
    expect(ids).toEqual([msg.zhangWaits, msg.meiShared]);
    expect(d.unanswered.items[1]).toMatchObject({ subject: null, mailboxEmail: 'mei@ours.test' });
    expect(JSON.stringify(d)).not.toContain('Secret pricing');
    expect(ids).not.toContain(msg.meiPrivate);

    const mei = await dashboard(member, 'scope=team');
    expect(counts(mei.mailByCompany)).toEqual([['腾讯', 0, 2]]);
    expect(mei.unanswered.items.map((m: { id: string }) => m.id).sort()).toEqual([msg.meiShared, msg.meiPrivate].sort());
    expect(JSON.stringify(mei)).not.toContain(msg.zhangWaits);
  });

  it("sums deals by stage per currency, mine or the team's", async () => {
    const mine = await dashboard(admin, 'scope=me');
    const lead = (d: any) => d.dealsByStage[0];
    expect(mine.dealsByStage).toHaveLength(6);
    expect(lead(mine)).toMatchObject({
      name: { en: 'Lead', 'zh-CN': '线索' },
      count: 1,
      amounts: [{ currency: 'CNY', amount: '1000.50' }],
    });
    const team = await dashboard(admin, 'scope=team');
    expect(lead(team)).toMatchObject({ count: 2, amounts: [{ currency: 'CNY', amount: '1200.50' }] });
    expect(team.dealsByStage.find((s: any) => s.kind === 'won')).toMatchObject({
      count: 1,
      amounts: [{ currency: 'USD', amount: '99.00' }],
    });
    expect(team.dealsByStage.find((s: any) => s.kind === 'lost')).toMatchObject({ count: 0, amounts: [] });
  });

  it('checks its query and needs a session', async () => {
    expectProblem(await admin.get('/api/v1/dashboard?hours=0'), 400, 'validation_failed');
    expectProblem(await admin.get('/api/v1/dashboard?scope=everyone'), 400, 'validation_failed');
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/dashboard' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('leaves out mail with a blocked address or domain, as the other lists do', async () => {
    const address = (await admin.post('/api/v1/blocklist', { kind: 'address', value: 'zhang.wei@example.net' })).data.entry;
    const domain = (await admin.post('/api/v1/blocklist', { kind: 'domain', value: 'tencent.com' })).data.entry;
    try {
      const d = await dashboard(admin, 'scope=team&hours=1');
      expect(d.mailByCompany).toEqual([]);
      expect(d.mailByContact).toEqual([]);
      expect(d.unanswered).toEqual({ total: 0, items: [] });
      // Another user's blocklist is theirs: Mei still sees the mail in her mailboxes.
      const mei = await dashboard(member, 'scope=team');
      expect(counts(mei.mailByCompany)).toEqual([['腾讯', 0, 2]]);
    } finally {
      for (const entry of [address, domain]) expect((await admin.delete(`/api/v1/blocklist/${entry.id}`)).statusCode).toBe(204);
    }
    expect(counts((await dashboard(admin, 'scope=me')).mailByCompany)).toEqual([['腾讯', 1, 2]]);
  });

  it('lists active colleagues by name (and team) for owner pickers and the team filter, nothing more', async () => {
    const people = (await member.get('/api/v1/people')).data.items;
    expect(people.map((p: { name: string }) => p.name).sort()).toEqual(['Ada Admin', '李梅'].sort());
    expect(Object.keys(people[0]).sort()).toEqual(['id', 'name', 'team']);
  });
});
