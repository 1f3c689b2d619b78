import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { insertMailbox } from '../support/rows.ts';

describe.each(databaseKinds)('message templates on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let other: Client;
  let memberId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    ({ client: member, id: memberId } = await signInMember(t, admin, 'rep@example.test', 'Rita Rep'));
    ({ client: other } = await signInMember(t, admin, 'other@example.test', 'Otto Other'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps personal templates to their owner and shared ones writable by admins only', async () => {
    const mine = await member.post('/api/v1/templates', {
      name: 'Follow-up',
      subject: 'Hi {{contact.firstName}}',
      html: '<p>{{me.name}}</p>',
    });
    expect(mine.statusCode).toBe(201);
    expect(mine.data).toMatchObject({ shared: false, editable: true, language: 'en', fields: ['contact.firstName', 'me.name'] });
    expectProblem(await member.post('/api/v1/templates', { name: 'Team', shared: true }), 403, 'forbidden');
    const shared = await admin.post('/api/v1/templates', {
      name: '报价跟进',
      language: 'zh-CN',
      subject: '关于{{deal.name}}',
      html: '<p>您好</p>',
      shared: true,
    });
    expect(shared.statusCode).toBe(201);

    const list = await member.get('/api/v1/templates');
    expect(list.data.items.map((i: { name: string; editable: boolean }) => [i.name, i.editable])).toEqual([
      ['Follow-up', true],
      ['报价跟进', false],
    ]);
    expect((await other.get('/api/v1/templates')).data.items.map((i: { name: string }) => i.name)).toEqual(['报价跟进']);
    expectProblem(await other.get(`/api/v1/templates/${mine.data.id}`), 404, 'not_found');
    expectProblem(await other.patch(`/api/v1/templates/${mine.data.id}`, { name: 'x' }), 404, 'not_found');
    expectProblem(await member.patch(`/api/v1/templates/${shared.data.id}`, { name: 'mine now' }), 403, 'template_not_editable');
    expectProblem(await member.delete(`/api/v1/templates/${shared.data.id}`), 403, 'template_not_editable');

    const renamed = await member.patch(`/api/v1/templates/${mine.data.id}`, { name: 'Follow-up 2', html: '<p>x</p><script>1</script>' });
    expect(renamed.data).toMatchObject({ name: 'Follow-up 2', subject: 'Hi {{contact.firstName}}', html: '<p>x</p>' });
    expect((await admin.patch(`/api/v1/templates/${shared.data.id}`, { subject: '关于 {{deal.name}}' })).data.subject).toBe(
      '关于 {{deal.name}}',
    );
    expect((await member.delete(`/api/v1/templates/${mine.data.id}`)).statusCode).toBe(204);
    expectProblem(await member.get(`/api/v1/templates/${mine.data.id}`), 404, 'not_found');
  });

  it('renders from a contact, its company and a deal, escapes values in HTML and lists what is missing', async () => {
    const company = await admin.post('/api/v1/companies', { name: 'Smith & <Sons>', domains: ['smith.example'] });
    expect(company.statusCode).toBe(201);
    const contact = await admin.post('/api/v1/contacts', {
      name: '王小明',
      emails: ['xm@smith.example'],
      companyId: company.data.company.id,
      title: null,
    });
    expect(contact.statusCode).toBe(201);
    const deal = await admin.post('/api/v1/deals', {
      name: 'Q3 pumps',
      companyId: company.data.company.id,
      amount: '1200.50',
      currency: 'CNY',
    });
    expect(deal.statusCode).toBe(201);
    const tpl = await member.post('/api/v1/templates', {
      name: 'Offer',
      subject: '{{deal.name}} for {{company.name}}',
      html: '<p>{{contact.firstName}}（{{contact.lastName}}）, {{company.name}} {{company.domain}} {{deal.amount}} {{contact.title}} {{custom.x}} — {{me.name}}</p>',
    });
    const out = await member.post(`/api/v1/templates/${tpl.data.id}/render`, {
      contactId: contact.data.contact.id,
      dealId: deal.data.deal.id,
    });
    expect(out.statusCode).toBe(200);
    expect(out.data).toEqual({
      subject: 'Q3 pumps for Smith & <Sons>',
      html: '<p>小明（王）, Smith &amp; &lt;Sons&gt; smith.example 1200.50 CNY {{contact.title}} {{custom.x}} — Rita Rep</p>',
      missing: ['contact.title'],
    });
    const none = await member.post(`/api/v1/templates/${tpl.data.id}/render`, {});
    expect(none.data.missing).toEqual([
      'contact.firstName',
      'contact.lastName',
      'contact.title',
      'company.name',
      'company.domain',
      'deal.name',
      'deal.amount',
    ]);
    expectProblem(
      await member.post(`/api/v1/templates/${tpl.data.id}/render`, { contactId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'not_found',
    );
  });

  it('refuses to send while a known merge field is unfilled', async () => {
    const mailboxId = await insertMailbox(t.db.db, memberId, 'rita@acme.example');
    await t.db.db
      .updateTable('mailboxes')
      .set({ smtp_host: '127.0.0.1', smtp_port: 465, smtp_security: 'tls' })
      .where('id', '=', mailboxId)
      .execute();
    const base = { mailboxId, to: [{ address: 'c@x.example' }], send: true };
    const res = await member.post('/api/v1/outbox', {
      ...base,
      subject: 'Hi {{contact.firstName}}',
      html: '<p>{{company.name}} {{own.field}}</p>',
    });
    expectProblem(res, 422, 'merge_fields_unresolved');
    expect(res.data.fields).toEqual(['contact.firstName', 'company.name']);
    expect((await member.post('/api/v1/outbox', { ...base, subject: 'Hi', html: '<p>{{own.field}}</p>' })).statusCode).toBe(201);
    // Written from a record: it must exist.
    const contact = await admin.post('/api/v1/contacts', { name: 'Ann Lee', emails: ['ann@x.example'] });
    const fromRecord = await member.post('/api/v1/outbox', {
      ...base,
      subject: 'Hi',
      html: 'h',
      record: { type: 'contact', id: contact.data.contact.id },
    });
    expect(fromRecord.data.record).toEqual({ type: 'contact', id: contact.data.contact.id });
    const missing = { type: 'deal', id: '00000000-0000-4000-8000-000000000000' };
    expectProblem(await member.post('/api/v1/outbox', { ...base, subject: 'Hi', html: 'h', record: missing }), 404, 'not_found');
  });
});
