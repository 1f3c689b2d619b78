import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../src/api/context.ts';
import { signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';

describe.each(databaseKinds)('the CRM around the mail on %s', (kind) => {
  let t: TestApp & { services: AppServices };
  let admin: Client;
  let adminId: string;
  let bob: { client: Client; id: string };
  let shared: string; // admin's share_all mailbox
  let subjectOnly: string;
  let metadataOnly: string;
  let privateBox: string;
  let acme: string;
  let li: string;
  const db = () => t.db.db;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    adminId = (await db().selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    bob = await signInMember(t, admin, 'bob@ourco.com', 'Bob');
    shared = await insertMailbox(db(), adminId, 'ada@ourco.com', { visibility: 'share_all' });
    subjectOnly = await insertMailbox(db(), adminId, 'ada2@ourco.com', { visibility: 'subject_only' });
    metadataOnly = await insertMailbox(db(), adminId, 'ada3@ourco.com', { visibility: 'metadata_only' });
    privateBox = await insertMailbox(db(), adminId, 'ada4@ourco.com', { visibility: 'private' });
    // Mail that arrives before any CRM record exists.
    await insertMail(db(), t.services, shared, {
      from: '李雷 <li.lei@acme.com>',
      to: ['ada@ourco.com'],
      subject: '关于合同的报价',
      text: '您好，附件是本季度的合同，请查收。',
      date: '2026-11-01T10:00:00Z',
    });
    await insertMail(db(), t.services, shared, {
      from: 'ada@ourco.com',
      to: ['li.lei@acme.com'],
      subject: 'Re: pricing',
      text: 'The invoice is attached.',
      date: '2026-11-02T10:00:00Z',
      attachments: [{ filename: 'Rechnung-2026.pdf', contentType: 'application/pdf' }],
    });
    await insertMail(db(), t.services, subjectOnly, {
      from: 'li.lei@acme.com',
      to: ['ada2@ourco.com'],
      subject: 'Quarterly plan',
      text: 'secret invoice numbers 机密合同',
      date: '2026-11-03T10:00:00Z',
    });
    await insertMail(db(), t.services, metadataOnly, {
      from: 'li.lei@acme.com',
      to: ['ada3@ourco.com'],
      subject: 'Board invoice topics',
      text: 'invoice body',
      date: '2026-11-04T10:00:00Z',
    });
    await insertMail(db(), t.services, privateBox, {
      from: 'li.lei@acme.com',
      to: ['ada4@ourco.com'],
      subject: 'Private invoice',
      text: 'invoice',
      date: '2026-11-05T10:00:00Z',
    });
    await insertMail(db(), t.services, shared, {
      from: 'friend@gmail.com',
      to: ['ada@ourco.com', 'li.lei@acme.com'],
      subject: 'lunch',
      text: 'see you',
      date: '2026-11-06T10:00:00Z',
    });

    // Retroactive: the company and contact are created after the mail was stored.
    const co = await admin.post('/api/v1/companies', { name: 'Acme', domains: ['acme.com'] });
    expect(co.statusCode).toBe(201);
    acme = co.data.company.id;
    const c = await admin.post('/api/v1/contacts', { name: '李雷', emails: ['li.lei@acme.com'], companyId: acme });
    expect(c.statusCode).toBe(201);
    li = c.data.contact.id;
    await t.services.linker.idle();
  });
  afterAll(async () => t?.close());

  it('links stored mail retroactively to a new contact and company, by role, idempotently', async () => {
    const links = await db().selectFrom('message_links').select(['message_id', 'contact_id', 'company_id', 'role']).execute();
    expect(links.filter((l) => l.contact_id === li)).toHaveLength(6);
    expect(links.filter((l) => l.company_id === acme)).toHaveLength(6);
    // A replayed event inserts nothing.
    const before = links.length;
    t.services.events.emit('contact.email_added', { contactId: li, address: 'li.lei@acme.com' });
    await t.services.linker.idle();
    expect(
      await db()
        .selectFrom('message_links')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: before });
  });

  it('never links a company by a free-mail domain', async () => {
    const gmail = await admin.post('/api/v1/companies', { name: 'Google', domains: ['gmail.com'] });
    expect(gmail.statusCode).toBe(422);
    const links = await db()
      .selectFrom('message_links')
      .innerJoin('messages', 'messages.id', 'message_links.message_id')
      .select(['message_links.company_id', 'message_links.role', 'messages.subject'])
      .where('messages.subject', '=', 'lunch')
      .execute();
    // Li is on the cc of the gmail message: the contact and their company link as 'to', the gmail sender links nothing.
    expect(links.map((l) => l.role).sort()).toEqual(['to', 'to']);
  });

  it('links new mail on arrival', async () => {
    const m = await insertMail(db(), t.services, shared, {
      from: 'li.lei@acme.com',
      to: ['ada@ourco.com'],
      subject: 'new arrival',
      text: 'hello',
      date: '2026-11-07T10:00:00Z',
    });
    const links = await db().selectFrom('message_links').selectAll().where('message_id', '=', m.id).execute();
    expect(links.map((l) => [l.contact_id ?? l.company_id, l.role]).sort()).toEqual(
      [
        [acme, 'from'],
        [li, 'from'],
      ].sort(),
    );
  });

  it('timeline: one list, newest first, with notes and deals, cut to each visibility level', async () => {
    expect(
      (
        await admin.post('/api/v1/activities', {
          kind: 'note',
          body: 'called about 合同',
          contactId: li,
          occurredAt: '2026-11-02T12:00:00Z',
        })
      ).statusCode,
    ).toBe(201);
    const adminView = await admin.get(`/api/v1/contacts/${li}/timeline?limit=50`);
    expect(adminView.statusCode).toBe(200);
    const kinds = adminView.data.items.map((i: any) => i.kind);
    expect(kinds.filter((k: string) => k === 'email')).toHaveLength(7);
    expect(kinds).toContain('note');
    const ats = adminView.data.items.map((i: any) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);

    const bobView = await bob.client.get(`/api/v1/contacts/${li}/timeline?limit=2`);
    const all: any[] = [...bobView.data.items];
    let cursor = bobView.data.nextCursor;
    while (cursor) {
      const next = await bob.client.get(`/api/v1/contacts/${li}/timeline?limit=2&cursor=${cursor}`);
      all.push(...next.data.items);
      cursor = next.data.nextCursor;
    }
    const emails = all.filter((i) => i.kind === 'email').map((i) => i.email);
    expect(emails.find((e) => e.subject === 'Private invoice')).toBeUndefined();
    expect(emails.some((e) => e.mailboxId === privateBox)).toBe(false);
    const so = emails.find((e) => e.mailboxId === subjectOnly);
    expect(so).toMatchObject({ subject: 'Quarterly plan', snippet: null, access: 'subject' });
    const meta = emails.find((e) => e.mailboxId === metadataOnly);
    expect(meta).toMatchObject({ subject: null, snippet: null, access: 'metadata' });
    expect(meta.from[0].address).toBe('li.lei@acme.com');
    expect(emails).toHaveLength(6);
    // The company timeline holds its own links and its contacts'.
    const company = await bob.client.get(`/api/v1/companies/${acme}/timeline?limit=100`);
    expect(company.data.items.filter((i: any) => i.kind === 'email')).toHaveLength(6);
    expect(company.data.items.some((i: any) => i.kind === 'note')).toBe(true);
  });

  it('search: CJK substring, English word and prefix, attachment names, records', async () => {
    const cjk = await admin.get(`/api/v1/search?q=${encodeURIComponent('合同')}&types=emails`);
    expect(cjk.statusCode).toBe(200);
    expect(cjk.data.items.map((e: any) => e.subject)).toEqual(expect.arrayContaining(['关于合同的报价', 'Quarterly plan']));
    expect(cjk.data.items.find((e: any) => e.subject === '关于合同的报价').highlight.html).toContain('<mark>合同</mark>');
    const cjk3 = await admin.get(`/api/v1/search?q=${encodeURIComponent('本季度')}&types=emails`);
    expect(cjk3.data.items.map((e: any) => e.subject)).toEqual(['关于合同的报价']);
    expect(cjk3.data.items[0].highlight).toMatchObject({ field: 'body' });
    const one = await admin.get(`/api/v1/search?q=${encodeURIComponent('您')}&types=emails`);
    expect(one.data.items.map((e: any) => e.subject)).toEqual(['关于合同的报价']);

    const word = await admin.get('/api/v1/search?q=invoice&types=emails');
    expect(word.data.items.map((e: any) => e.subject).sort()).toEqual(
      ['Board invoice topics', 'Private invoice', 'Quarterly plan', 'Re: pricing'].sort(),
    );
    const prefix = await admin.get('/api/v1/search?q=invo&types=emails&limit=50');
    expect(prefix.data.items).toHaveLength(4);
    // Subject matches rank above body matches.
    expect(prefix.data.items[0].highlight.field).toBe('subject');
    const att = await admin.get('/api/v1/search?q=rechnung&types=emails');
    expect(att.data.items.map((e: any) => e.highlight)).toEqual([{ field: 'attachment', html: '<mark>Rechnung</mark>-2026.pdf' }]);
    const filtered = await admin.get(`/api/v1/search?q=invoice&types=emails&mailboxId=${shared}&hasAttachments=true`);
    expect(filtered.data.items.map((e: any) => e.subject)).toEqual(['Re: pricing']);
    const byFrom = await admin.get('/api/v1/search?q=invoice&types=emails&from=li.lei@acme.com&before=2026-11-04');
    expect(byFrom.data.items.map((e: any) => e.subject)).toEqual(['Quarterly plan']);

    const records = await admin.get(`/api/v1/search?q=${encodeURIComponent('李雷')}`);
    expect(records.data.items.filter((i: any) => i.type === 'contacts').map((c: any) => c.id)).toEqual([li]);
    expect((await admin.get('/api/v1/search?q=acme&types=companies')).data.items[0]).toMatchObject({
      id: acme,
      highlight: { field: 'name', html: '<mark>Acme</mark>' },
    });
  });

  it('search never lets a subject-only or metadata-only reader match on the body', async () => {
    const word = await bob.client.get('/api/v1/search?q=invoice&types=emails');
    const subjects = word.data.items.map((e: any) => e.subject);
    // "Quarterly plan" (subject-only) has invoice only in its body; "Board invoice topics" is metadata-only (subject hidden).
    expect(subjects).toEqual(['Re: pricing']);
    const cjk = await bob.client.get(`/api/v1/search?q=${encodeURIComponent('机密')}&types=emails`);
    expect(cjk.data.items).toEqual([]);
    const subjectHit = await bob.client.get('/api/v1/search?q=quarterly&types=emails');
    expect(subjectHit.data.items).toHaveLength(1);
    expect(subjectHit.data.items[0]).toMatchObject({ snippet: null, highlight: { field: 'subject' } });
    // Participants are who/when: a metadata-only message is found by its sender, with no subject.
    const who = await bob.client.get('/api/v1/search?q=li.lei@acme.com&types=emails&limit=50');
    const meta = who.data.items.find((e: any) => e.mailboxId === metadataOnly);
    expect(meta).toMatchObject({ subject: null, snippet: null, highlight: { field: 'participants' } });
    expect(who.data.items.some((e: any) => e.mailboxId === privateBox)).toBe(false);
  });

  it('blocklist hides and restores: workspace scope for everyone, user scope for its owner', async () => {
    const visible = async (c: Client) =>
      (await c.get(`/api/v1/contacts/${li}/timeline?limit=100`)).data.items.filter((i: any) => i.kind === 'email').length;
    const gmailMail = async (c: Client) => (await c.get('/api/v1/search?q=lunch&types=emails')).data.items.length;
    expect((await bob.client.post('/api/v1/blocklist', { scope: 'workspace', kind: 'domain', value: 'gmail.com' })).statusCode).toBe(403);
    const ws = await admin.post('/api/v1/blocklist', { scope: 'workspace', kind: 'domain', value: '@Gmail.com' });
    expect(ws.statusCode).toBe(201);
    expect(ws.data.entry.value).toBe('gmail.com');
    expect(await gmailMail(admin)).toBe(0);
    expect(await gmailMail(bob.client)).toBe(0);
    const list = await admin.get(`/api/v1/messages?mailboxId=${shared}&limit=100`);
    expect(list.data.items.some((m: any) => m.subject === 'lunch')).toBe(false);
    const lunch = await db().selectFrom('messages').select('id').where('subject', '=', 'lunch').executeTakeFirstOrThrow();
    expect((await admin.get(`/api/v1/messages/${lunch.id}`)).statusCode).toBe(404);
    expect((await admin.delete(`/api/v1/blocklist/${ws.data.entry.id}`)).statusCode).toBe(204);
    expect(await gmailMail(admin)).toBe(1);
    expect((await admin.get(`/api/v1/messages/${lunch.id}`)).statusCode).toBe(200);

    const adminBefore = await visible(admin);
    const mine = await bob.client.post('/api/v1/blocklist', { kind: 'address', value: 'li.lei@acme.com' });
    expect(mine.statusCode).toBe(201);
    expect(await visible(bob.client)).toBe(0);
    expect(await visible(admin)).toBe(adminBefore);
    expect((await admin.get('/api/v1/blocklist')).data.items).toEqual([]);
    expect((await admin.delete(`/api/v1/blocklist/${mine.data.entry.id}`)).statusCode).toBe(404);
    expect((await bob.client.post('/api/v1/blocklist', { kind: 'address', value: 'li.lei@acme.com' })).statusCode).toBe(409);
    expect((await bob.client.delete(`/api/v1/blocklist/${mine.data.entry.id}`)).statusCode).toBe(204);
    expect(await visible(bob.client)).toBe(6 + 0);
  });

  it('a deal gets the thread automatically when its company has one open deal; otherwise by hand', async () => {
    const deal = await admin.post('/api/v1/deals', {
      name: 'Acme 2027 contract',
      companyId: acme,
      contactIds: [li],
      currency: 'CNY',
      amount: '1000.00',
    });
    expect(deal.statusCode).toBe(201);
    const dealId = deal.data.deal.id;
    const auto = await insertMail(db(), t.services, shared, {
      from: 'li.lei@acme.com',
      to: ['ada@ourco.com'],
      subject: 'contract draft',
      text: 'draft',
      date: '2026-11-08T10:00:00Z',
    });
    const tl = await admin.get(`/api/v1/deals/${dealId}/timeline`);
    expect(tl.data.items.filter((i: any) => i.kind === 'email').map((i: any) => i.email.subject)).toEqual(['contract draft']);
    expect(tl.data.items.some((i: any) => i.kind === 'deal')).toBe(true);

    const second = await admin.post('/api/v1/deals', { name: 'Acme support', companyId: acme, contactIds: [li], currency: 'CNY' });
    const two = await insertMail(db(), t.services, shared, {
      from: 'li.lei@acme.com',
      to: ['ada@ourco.com'],
      subject: 'which deal?',
      date: '2026-11-09T10:00:00Z',
    });
    expect(await db().selectFrom('deal_threads').select('deal_id').where('thread_id', '=', two.threadId).execute()).toEqual([]);
    expect((await bob.client.post(`/api/v1/deals/${second.data.deal.id}/threads`, { threadId: two.threadId })).statusCode).toBe(403);
    expect((await admin.post(`/api/v1/deals/${second.data.deal.id}/threads`, { threadId: two.threadId })).statusCode).toBe(201);
    const tl2 = await admin.get(`/api/v1/deals/${second.data.deal.id}/timeline`);
    expect(tl2.data.items.filter((i: any) => i.kind === 'email').map((i: any) => i.email.subject)).toEqual(['which deal?']);
    expect((await admin.delete(`/api/v1/deals/${second.data.deal.id}/threads/${two.threadId}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/deals/${second.data.deal.id}/timeline`)).data.items.filter((i: any) => i.kind === 'email')).toEqual(
      [],
    );
    expect(auto.threadId).toBeTruthy();
  });

  it('search: 3+ CJK characters match as a real substring, also past the 20,000 characters whose bigrams are stored, never in a hidden body', async () => {
    // Bigrams are stored for the first 20,000 characters only: this term sits after them.
    await insertMail(db(), t.services, shared, {
      from: 'ops@freight.cn',
      to: ['ada@ourco.com'],
      subject: '物流安排',
      text: `${'运输 '.repeat(7000)}远洋货运单号`,
      date: '2026-11-10T10:00:00Z',
    });
    // Every bigram of 货运单 is here, but not the substring itself.
    await insertMail(db(), t.services, shared, {
      from: 'ops@freight.cn',
      to: ['ada@ourco.com'],
      subject: '分开的词',
      text: '货运 运单',
      date: '2026-11-11T10:00:00Z',
    });
    await insertMail(db(), t.services, subjectOnly, {
      from: 'ops@freight.cn',
      to: ['ada2@ourco.com'],
      subject: 'Plan B',
      text: '机密报价单',
      date: '2026-11-12T10:00:00Z',
    });
    const search = async (c: Client, q: string) =>
      (await c.get(`/api/v1/search?q=${encodeURIComponent(q)}&types=emails`)).data.items.map((e: any) => e.subject);
    expect(await search(admin, '货运单')).toEqual(['物流安排']);
    expect(await search(admin, '密报价')).toEqual(['Plan B']);
    expect(await search(bob.client, '密报价')).toEqual([]);
    expect(await search(bob.client, '货运单')).toEqual(['物流安排']);
  });
});
