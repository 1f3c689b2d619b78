import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../src/events/index.ts';
import { findCompanyIdByDomain } from '../../src/crm/companies/domains.ts';
import { findContactIdsByEmails } from '../../src/crm/contacts/emails.ts';
import type { AppServices } from '../../src/api/context.ts';
import { allPages, expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';

describe.each(databaseKinds)('CRM companies and contacts on %s', (kind) => {
  let t: TestApp & { services: AppServices };
  let admin: Client;
  let member: Client;
  let memberId: string;
  const events: AnyEvent[] = [];
  let unsubscribe: () => void;

  beforeAll(async () => {
    t = await createTestApp(kind);
    unsubscribe = t.services.events.subscribe((e) => events.push(e));
    admin = await setupAdmin(t.app);
    ({ client: member, id: memberId } = await signInMember(t, admin, 'mei@example.com', '李梅'));
  });
  afterAll(async () => {
    unsubscribe?.();
    await t?.close();
  });

  it('creates, reads, updates and deletes a company with unique domains', async () => {
    const created = await member.post('/api/v1/companies', {
      name: '阿里巴巴',
      domains: ['@Alibaba-Inc.COM', 'taobao.com'],
      industry: 'E-commerce',
    });
    expect(created.statusCode).toBe(201);
    const company = created.data.company;
    expect(company).toMatchObject({
      name: '阿里巴巴',
      domains: ['alibaba-inc.com', 'taobao.com'],
      industry: 'E-commerce',
      ownerId: memberId,
    });
    expect((await admin.get(`/api/v1/companies/${company.id}`)).data.company.name).toBe('阿里巴巴');

    expectProblem(await admin.post('/api/v1/companies', { name: 'Copycat', domains: ['TAOBAO.com'] }), 409, 'domain_in_use');
    expectProblem(await admin.post('/api/v1/companies', { name: 'Free mail', domains: ['qq.com'] }), 422, 'public_mail_domain');
    expectProblem(await admin.post('/api/v1/companies', { name: 'Bad', domains: ['not a domain'] }), 422, 'invalid_domain');

    const patched = await member.patch(`/api/v1/companies/${company.id}`, {
      domains: ['alibaba-inc.com', 'aliyun-inc.com'],
      notes: 'key account',
    });
    expect(patched.data.company).toMatchObject({ domains: ['alibaba-inc.com', 'aliyun-inc.com'], notes: 'key account' });
    // The domain that was removed is free for another company now.
    const other = await admin.post('/api/v1/companies', { name: 'Taobao Ltd', domains: ['taobao.com'] });
    expect(other.statusCode).toBe(201);
    expect(await findCompanyIdByDomain(t.db.db, 'mail.taobao.com')).toBe(other.data.company.id);
    expect(await findCompanyIdByDomain(t.db.db, 'ALIBABA-INC.COM')).toBe(company.id);
    expect(await findCompanyIdByDomain(t.db.db, 'example.org')).toBeNull();

    expect((await admin.delete(`/api/v1/companies/${other.data.company.id}`)).statusCode).toBe(204);
    expectProblem(await admin.get(`/api/v1/companies/${other.data.company.id}`), 404, 'not_found');
  });

  it('lets members edit only their own records and admins edit all', async () => {
    const mine = (await admin.post('/api/v1/contacts', { name: 'Admin Contact' })).data.contact;
    expectProblem(await member.patch(`/api/v1/contacts/${mine.id}`, { title: 'hacked' }), 403, 'forbidden');
    expectProblem(await member.delete(`/api/v1/contacts/${mine.id}`), 403, 'forbidden');
    expectProblem(await member.post(`/api/v1/contacts/${mine.id}/emails`, { address: 'x@example.com' }), 403, 'forbidden');
    expect((await member.get(`/api/v1/contacts/${mine.id}`)).statusCode).toBe(200); // everyone reads

    const theirs = (await member.post('/api/v1/contacts', { name: 'Member Contact' })).data.contact;
    expect(theirs.ownerId).toBe(memberId);
    expect((await admin.patch(`/api/v1/contacts/${theirs.id}`, { title: 'CTO' })).data.contact.title).toBe('CTO');
    expectProblem(
      await member.post('/api/v1/contacts', { name: 'Gift', ownerId: (await admin.get('/api/v1/me')).data.user.id }),
      403,
      'forbidden',
    );
    const audit = await t.db.db.selectFrom('audit_log').select(['action']).where('target_id', '=', theirs.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.create', 'contact.update']));
  });

  it('keeps one address per contact: 409 email_in_use that names nobody', async () => {
    const a = (
      await member.post('/api/v1/contacts', {
        name: '王五',
        emails: ['Wang.Wu@Example.COM', 'ww@example.net'],
        phones: ['+86 138 0013 8000', { label: 'office', number: '010-1234' }],
        tags: ['vip', 'vip', ' 北京 '],
      })
    ).data.contact;
    expect(a.emails.map((e: any) => [e.address, e.isPrimary])).toEqual([
      ['wang.wu@example.com', true],
      ['ww@example.net', false],
    ]);
    expect(a.phones).toEqual([
      { label: null, number: '+86 138 0013 8000' },
      { label: 'office', number: '010-1234' },
    ]);
    expect(a.tags).toEqual(['vip', '北京']);
    const b = (await admin.post('/api/v1/contacts', { name: 'Other' })).data.contact;
    const clash = await admin.post(`/api/v1/contacts/${b.id}/emails`, { address: 'WANG.WU@example.com' });
    expectProblem(clash, 409, 'email_in_use');
    expect(clash.body).not.toContain('王五');
    expect(clash.body).not.toContain(a.id);
    expectProblem(await admin.post('/api/v1/contacts', { name: 'Dup', emails: ['ww@example.net'] }), 409, 'email_in_use');

    const added = await admin.post(`/api/v1/contacts/${b.id}/emails`, { address: 'other@example.com', isPrimary: true });
    expect(added.statusCode).toBe(201);
    const second = await admin.post(`/api/v1/contacts/${b.id}/emails`, { address: 'other2@example.com', isPrimary: true });
    expect(second.data.contact.emails.map((e: any) => [e.address, e.isPrimary])).toEqual([
      ['other2@example.com', true],
      ['other@example.com', false],
    ]);
    const removed = await admin.delete(`/api/v1/contacts/${b.id}/emails/${second.data.contact.emails[0].id}`);
    expect(removed.data.contact.emails).toEqual([expect.objectContaining({ address: 'other@example.com', isPrimary: true })]);

    const ids = await findContactIdsByEmails(t.db.db, ['WANG.WU@example.com', 'nobody@example.com', 'other@example.com']);
    expect(Object.fromEntries(ids)).toEqual({ 'wang.wu@example.com': a.id, 'other@example.com': b.id });
  });

  it('announces new contacts, addresses, domains and record changes on the event bus, only after a successful write', async () => {
    events.length = 0;
    const c = (await member.post('/api/v1/contacts', { name: 'Event Person', emails: ['ev@example.com'] })).data.contact;
    await member.post(`/api/v1/contacts/${c.id}/emails`, { address: 'ev2@example.com' });
    expectProblem(await member.post(`/api/v1/contacts/${c.id}/emails`, { address: 'wang.wu@example.com' }), 409, 'email_in_use');
    const co = (await member.post('/api/v1/companies', { name: 'Evented', domains: ['evented.io'] })).data.company;
    await member.patch(`/api/v1/companies/${co.id}`, { domains: ['evented.io', 'evented.dev'] });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['contact.created', { contactId: c.id, addresses: ['ev@example.com'] }],
      ['contact.email_added', { contactId: c.id, address: 'ev@example.com' }],
      ['record.changed', { kind: 'contact', id: c.id, action: 'created', actorUserId: memberId, changedFields: [] }],
      ['contact.email_added', { contactId: c.id, address: 'ev2@example.com' }],
      ['record.changed', { kind: 'contact', id: c.id, action: 'updated', actorUserId: memberId, changedFields: ['emails'] }],
      ['company.domain_added', { companyId: co.id, domain: 'evented.io' }],
      ['record.changed', { kind: 'company', id: co.id, action: 'created', actorUserId: memberId, changedFields: [] }],
      ['company.domain_added', { companyId: co.id, domain: 'evented.dev' }],
      ['record.changed', { kind: 'company', id: co.id, action: 'updated', actorUserId: memberId, changedFields: ['domains'] }],
    ]);
  });

  it('finds Chinese names by substring and filters by company, owner and tag', async () => {
    const co = (await admin.post('/api/v1/companies', { name: '武当派', domains: ['wudang.cn'] })).data.company;
    await admin.post('/api/v1/contacts', { name: '张三丰', companyId: co.id, tags: ['掌门'], emails: ['zsf@wudang.cn'] });
    await member.post('/api/v1/contacts', { name: '张无忌', tags: ['教主'] });
    await member.post('/api/v1/contacts', { name: 'Li San', emails: ['zhangsan@qq.com'] });
    const q = async (query: string) => (await member.get(`/api/v1/contacts?${query}`)).data.items.map((c: any) => c.name);
    expect(await q(`q=${encodeURIComponent('张三')}`)).toEqual(['张三丰']);
    expect(await q(`q=${encodeURIComponent('三丰')}`)).toEqual(['张三丰']);
    expect(await q('q=zhangsan')).toEqual(['Li San']); // address substring
    expect(await q(`companyId=${co.id}`)).toEqual(['张三丰']);
    expect(await q(`tag=${encodeURIComponent('教主')}`)).toEqual(['张无忌']);
    expect((await q(`ownerId=${memberId}`)).sort()).toEqual(expect.arrayContaining(['张无忌', 'Li San']));
    expect(await q(`q=${encodeURIComponent('100%_')}`)).toEqual([]); // LIKE wildcards are literal
    const companies = await member.get(`/api/v1/companies?q=${encodeURIComponent('当')}`);
    expect(companies.data.items.map((c: any) => c.name)).toEqual(['武当派']);
  });

  it('pages through every row exactly once, with ties in the sort key', async () => {
    // 23 contacts with the same name (ties on name) and 23 created in one statement (ties on createdAt).
    await t.db.db
      .insertInto('contacts')
      .values(Array.from({ length: 23 }, () => ({ name: 'Same Name', owner_user_id: memberId, phones: '[]' })))
      .execute();
    const total = (await allPages(admin, '/api/v1/contacts?limit=100')).items.length;
    for (const sort of ['name', '-name', 'createdAt', '-createdAt', '-updatedAt']) {
      const { items, pages } = await allPages(admin, `/api/v1/contacts?limit=7&sort=${sort}`);
      expect(pages).toBeGreaterThan(3);
      expect(items).toHaveLength(total);
      expect(new Set(items.map((c) => c.id)).size).toBe(total);
      if (sort.endsWith('name')) {
        // The tied rows come out together, ordered by id within the tie.
        const first = items.findIndex((c) => c.name === 'Same Name');
        const tied = items.slice(first, first + 23);
        expect(tied.every((c) => c.name === 'Same Name')).toBe(true);
        const ids = tied.map((c) => c.id);
        expect(ids).toEqual(sort === '-name' ? [...ids].sort().reverse() : [...ids].sort());
      }
      if (sort === '-createdAt') {
        const times = items.map((c) => c.createdAt);
        expect(times).toEqual([...times].sort().reverse());
      }
    }
    const filtered = await allPages(admin, '/api/v1/contacts?limit=5&q=Same');
    expect(filtered.items).toHaveLength(23);
  });

  it('rejects bad input with stable problem codes', async () => {
    expectProblem(await admin.get('/api/v1/contacts?sort=password'), 400, 'validation_failed');
    expectProblem(await admin.get('/api/v1/contacts?limit=101'), 400, 'validation_failed');
    expectProblem(await admin.get('/api/v1/contacts?cursor=garbage'), 400, 'invalid_cursor');
    const page = await admin.get('/api/v1/contacts?limit=1&sort=name');
    expectProblem(await admin.get(`/api/v1/contacts?limit=1&sort=-createdAt&cursor=${page.data.nextCursor}`), 400, 'invalid_cursor');
    expectProblem(await admin.post('/api/v1/contacts', { name: '' }), 400, 'validation_failed');
    expectProblem(await admin.post('/api/v1/contacts', { name: 'X', emails: ['not-an-email'] }), 400, 'validation_failed');
    expectProblem(await admin.post('/api/v1/contacts', { name: 'X', surprise: true }), 400, 'validation_failed');
    expectProblem(
      await admin.post('/api/v1/contacts', { name: 'X', companyId: '00000000-0000-4000-8000-000000000000' }),
      422,
      'unknown_company',
    );
    expectProblem(await admin.get('/api/v1/contacts/not-a-uuid'), 400, 'validation_failed');
    expectProblem(await admin.get('/api/v1/contacts/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/contacts' });
    expect(anon.statusCode).toBe(401);
  });
});
