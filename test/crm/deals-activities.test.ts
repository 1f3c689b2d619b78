import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';

describe.each(databaseKinds)('CRM pipeline, deals, activities and purchases on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let stages: any[];
  let company: any;
  let contact: any;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    ({ client: member } = await signInMember(t, admin, 'mei@example.com', '李梅'));
    company = (await member.post('/api/v1/companies', { name: '腾讯', domains: ['tencent.com'] })).data.company;
    contact = (await member.post('/api/v1/contacts', { name: '马化腾', companyId: company.id, emails: ['pony@tencent.com'] })).data.contact;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('seeds the default pipeline in both languages', async () => {
    stages = (await member.get('/api/v1/pipeline/stages')).data.items;
    expect(stages.map((s) => [s.name.en, s.name['zh-CN'], s.kind, s.position])).toEqual([
      ['Lead', '线索', 'open', 1],
      ['Qualified', '已确认需求', 'open', 2],
      ['Proposal', '方案报价', 'open', 3],
      ['Negotiation', '谈判', 'open', 4],
      ['Won', '赢单', 'won', 5],
      ['Lost', '输单', 'lost', 6],
    ]);
  });

  it('lets admins add, rename, reorder and delete unused stages; 409 for a used one', async () => {
    expectProblem(await member.post('/api/v1/pipeline/stages', { name: { en: 'Demo' } }), 403, 'forbidden');
    const demo = await admin.post('/api/v1/pipeline/stages', { name: { 'zh-CN': '演示' }, position: 2 });
    expect(demo.statusCode).toBe(201);
    expect(demo.data.stage).toMatchObject({ name: { 'zh-CN': '演示' }, kind: 'open', position: 2 });
    const renamed = await admin.patch(`/api/v1/pipeline/stages/${demo.data.stage.id}`, { name: { en: 'Demo' } });
    expect(renamed.data.stage.name).toEqual({ en: 'Demo', 'zh-CN': '演示' });
    expectProblem(await admin.post('/api/v1/pipeline/stages', { name: {} }), 400, 'validation_failed');

    let list = (await admin.get('/api/v1/pipeline/stages')).data.items;
    expect(list.map((s: any) => s.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const reversed = [...list].reverse().map((s: any) => s.id);
    const reordered = await admin.request('PUT', '/api/v1/pipeline/stages/order', { ids: reversed });
    expect(reordered.data.items.map((s: any) => s.id)).toEqual(reversed);
    expectProblem(await admin.request('PUT', '/api/v1/pipeline/stages/order', { ids: reversed.slice(1) }), 422, 'invalid_order');
    await admin.request('PUT', '/api/v1/pipeline/stages/order', { ids: list.map((s: any) => s.id) });

    const deal = await member.post('/api/v1/deals', { name: 'Demo deal', currency: 'cny', stageId: demo.data.stage.id });
    expectProblem(await admin.delete(`/api/v1/pipeline/stages/${demo.data.stage.id}`), 409, 'stage_in_use');
    expectProblem(await admin.patch(`/api/v1/pipeline/stages/${demo.data.stage.id}`, { kind: 'won' }), 409, 'stage_in_use');
    await member.delete(`/api/v1/deals/${deal.data.deal.id}`);
    expect((await admin.delete(`/api/v1/pipeline/stages/${demo.data.stage.id}`)).statusCode).toBe(204);
    list = (await admin.get('/api/v1/pipeline/stages')).data.items;
    expect(list.map((s: any) => [s.name.en, s.position])).toEqual([
      ['Lead', 1],
      ['Qualified', 2],
      ['Proposal', 3],
      ['Negotiation', 4],
      ['Won', 5],
      ['Lost', 6],
    ]);
  });

  it('creates deals with exact amounts and follows won/lost rules', async () => {
    const [lead, , proposal, , won, lost] = stages;
    const created = await member.post('/api/v1/deals', {
      name: '企业微信 license',
      companyId: company.id,
      contactIds: [contact.id],
      amount: '12345.6',
      currency: 'CNY',
      expectedCloseDate: '2027-01-31',
    });
    expect(created.statusCode).toBe(201);
    const deal = created.data.deal;
    expect(deal).toMatchObject({
      amount: '12345.60',
      currency: 'CNY',
      stageId: lead.id,
      status: 'open',
      closedAt: null,
      expectedCloseDate: '2027-01-31',
      contactIds: [contact.id],
    });

    expectProblem(await member.post('/api/v1/deals', { name: 'x', currency: 'XYZ' }), 400, 'validation_failed');
    expectProblem(await member.post('/api/v1/deals', { name: 'x', currency: 'CNY', amount: 12.5 }), 400, 'validation_failed');
    expectProblem(await member.post('/api/v1/deals', { name: 'x', currency: 'CNY', amount: '1.234' }), 400, 'validation_failed');
    expectProblem(await member.post('/api/v1/deals', { name: 'x', currency: 'CNY', stageId: lost.id }), 422, 'lost_reason_required');

    const moved = await member.patch(`/api/v1/deals/${deal.id}`, { stageId: proposal.id, amount: '99999999999.99' });
    expect(moved.data.deal).toMatchObject({ status: 'open', amount: '99999999999.99' });
    expectProblem(await member.patch(`/api/v1/deals/${deal.id}`, { stageId: lost.id }), 422, 'lost_reason_required');
    const lostDeal = await member.patch(`/api/v1/deals/${deal.id}`, { stageId: lost.id, lostReason: '预算不足' });
    expect(lostDeal.data.deal).toMatchObject({ status: 'lost', lostReason: '预算不足' });
    expect(lostDeal.data.deal.closedAt).not.toBeNull();
    const wonDeal = await member.patch(`/api/v1/deals/${deal.id}`, { stageId: won.id });
    expect(wonDeal.data.deal).toMatchObject({ status: 'won', lostReason: null });
    expect(wonDeal.data.deal.closedAt).not.toBeNull();
    const reopened = await member.patch(`/api/v1/deals/${deal.id}`, { stageId: lead.id });
    expect(reopened.data.deal).toMatchObject({ status: 'open', closedAt: null, lostReason: null });

    expectProblem(await admin.patch(`/api/v1/deals/${deal.id}`, { stageId: '00000000-0000-4000-8000-000000000000' }), 422, 'unknown_stage');
    const other = (await admin.post('/api/v1/deals', { name: 'Admin deal', currency: 'USD', stageId: won.id })).data.deal;
    expect(other.status).toBe('won');
    expectProblem(await member.patch(`/api/v1/deals/${other.id}`, { name: 'mine now' }), 403, 'forbidden');
    expect((await admin.patch(`/api/v1/deals/${deal.id}`, { name: 'Renamed by admin' })).statusCode).toBe(200);

    const q = async (query: string) => (await member.get(`/api/v1/deals?${query}`)).data.items.map((d: any) => d.name);
    expect(await q('status=won')).toEqual(['Admin deal']);
    expect(await q(`stageId=${lead.id}`)).toEqual(['Renamed by admin']);
    expect(await q(`companyId=${company.id}`)).toEqual(['Renamed by admin']);
    expect(await q(`contactId=${contact.id}`)).toEqual(['Renamed by admin']);
    expect(await q('sort=-amount')).toEqual(['Renamed by admin', 'Admin deal']);
  });

  it('records notes, tasks and calls with their own fields', async () => {
    const note = await member.post('/api/v1/activities', {
      kind: 'note',
      body: '客户对价格敏感',
      contactId: contact.id,
      companyId: company.id,
    });
    expect(note.statusCode).toBe(201);
    expectProblem(
      await member.post('/api/v1/activities', { kind: 'note', body: 'x', dueAt: '2027-01-01T09:00:00+08:00' }),
      422,
      'field_not_for_kind',
    );
    expectProblem(await member.post('/api/v1/activities', { kind: 'note' }), 422, 'activity_empty');
    expectProblem(
      await member.post('/api/v1/activities', { kind: 'call', subject: 'x', contactId: '00000000-0000-4000-8000-000000000000' }),
      422,
      'unknown_contact',
    );
    const task = (
      await member.post('/api/v1/activities', {
        kind: 'task',
        subject: '发送报价单',
        dueAt: '2027-01-01T09:00:00+08:00',
        reminderAt: '2027-01-01T08:30:00+08:00',
        contactId: contact.id,
      })
    ).data.activity;
    expect(task).toMatchObject({ dueAt: '2027-01-01T01:00:00.000Z', reminderAt: '2027-01-01T00:30:00.000Z', doneAt: null });
    const call = (
      await member.post('/api/v1/activities', {
        kind: 'call',
        subject: 'Intro call',
        callDurationSeconds: 300,
        callDirection: 'outbound',
        companyId: company.id,
      })
    ).data.activity;
    expect(call).toMatchObject({ callDurationSeconds: 300, callDirection: 'outbound' });
    expectProblem(await member.patch(`/api/v1/activities/${call.id}`, { dueAt: '2027-01-01T09:00:00Z' }), 422, 'field_not_for_kind');

    const open = async () => (await member.get('/api/v1/activities?kind=task&open=true')).data.items.map((a: any) => a.id);
    expect(await open()).toEqual([task.id]);
    const done = await member.patch(`/api/v1/activities/${task.id}`, { doneAt: '2027-01-01T10:00:00Z' });
    expect(done.data.activity.doneAt).toBe('2027-01-01T10:00:00.000Z');
    expect(await open()).toEqual([]);

    const forContact = await member.get(`/api/v1/activities?contactId=${contact.id}`);
    expect(forContact.data.items.map((a: any) => a.kind).sort()).toEqual(['note', 'task']);
    expectProblem(await admin.post('/api/v1/activities', { kind: 'nap', subject: 'x' }), 400, 'validation_failed');
    const adminNote = (await admin.post('/api/v1/activities', { kind: 'note', subject: 'admin' })).data.activity;
    expectProblem(await member.delete(`/api/v1/activities/${adminNote.id}`), 403, 'forbidden');
    expect((await admin.delete(`/api/v1/activities/${note.data.activity.id}`)).statusCode).toBe(204);
  });

  it('records purchases with exact totals and lists them per company and contact', async () => {
    const p1 = await member.post('/api/v1/purchases', {
      companyId: company.id,
      contactId: contact.id,
      purchasedOn: '2026-11-01',
      currency: 'CNY',
      items: [
        { name: '服务器', quantity: 3, unitPrice: '0.10' },
        { name: 'Support', quantity: '1.5', unitPrice: '19999.99' },
      ],
    });
    expect(p1.statusCode).toBe(201);
    // 3 × 0.10 = 0.30 exactly (not 0.30000000000000004); 1.5 × 19999.99 = 29999.985 → 29999.99
    expect(p1.data.purchase).toMatchObject({
      amount: '30000.29',
      purchasedOn: '2026-11-01',
      items: [
        { name: '服务器', quantity: '3', unitPrice: '0.10' },
        { name: 'Support', quantity: '1.5', unitPrice: '19999.99' },
      ],
    });
    const p2 = (await member.post('/api/v1/purchases', { contactId: contact.id, purchasedOn: '2026-11-15', currency: 'usd', amount: '10' }))
      .data.purchase;
    expect(p2).toMatchObject({ amount: '10.00', currency: 'USD', companyId: null });
    expectProblem(
      await member.post('/api/v1/purchases', { purchasedOn: '2026-11-15', currency: 'USD', amount: '1' }),
      422,
      'purchase_unlinked',
    );
    expectProblem(
      await member.post('/api/v1/purchases', { contactId: contact.id, purchasedOn: '2026-13-45', currency: 'USD' }),
      400,
      'validation_failed',
    );

    const byCompany = await member.get(`/api/v1/purchases?companyId=${company.id}`);
    expect(byCompany.data.items.map((p: any) => p.id)).toEqual([p1.data.purchase.id]);
    const byContact = await allPages(member, `/api/v1/purchases?contactId=${contact.id}&limit=1`);
    expect(byContact.items.map((p: any) => p.purchasedOn)).toEqual(['2026-11-15', '2026-11-01']);
    const patched = await member.patch(`/api/v1/purchases/${p2.id}`, { items: [{ name: 'x', quantity: 2, unitPrice: '2.50' }] });
    expect(patched.data.purchase.amount).toBe('5.00');
    expectProblem(await member.patch(`/api/v1/purchases/${p2.id}`, { contactId: null }), 422, 'purchase_unlinked');
    expectProblem(await admin.get('/api/v1/purchases?sort=-price'), 400, 'validation_failed');
    expect((await member.delete(`/api/v1/purchases/${p2.id}`)).statusCode).toBe(204);
  });
});
