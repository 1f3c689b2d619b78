import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';

describe.each(databaseKinds)('compose prefill, senders and the address book on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let owner: Client;
  let reader: Client;
  let subjectReader: Client;
  let ownerId: string;
  let readerId: string;
  let mailboxId: string;
  let subjectOnlyId: string;

  const sendingMailbox = async (userId: string, email: string, visibility: 'private' | 'share_all' | 'subject_only') => {
    const id = await insertMailbox(t.db.db, userId, email, { visibility });
    await t.db.db
      .updateTable('mailboxes')
      .set({ smtp_host: '127.0.0.1', smtp_port: 465, smtp_security: 'tls' })
      .where('id', '=', id)
      .execute();
    return id;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    ({ client: owner, id: ownerId } = await signInMember(t, admin, 'olivia@acme.example', 'Olivia Owner'));
    ({ client: reader, id: readerId } = await signInMember(t, admin, 'rex@acme.example', 'Rex Reader'));
    ({ client: subjectReader } = await signInMember(t, admin, 'sue@acme.example', 'Sue Subject'));
    mailboxId = await sendingMailbox(ownerId, 'sales@acme.example', 'share_all');
    subjectOnlyId = await sendingMailbox(ownerId, 'board@acme.example', 'subject_only');
    const patched = await owner.patch(`/api/v1/mailboxes/${mailboxId}`, { signatureHtml: '<p>Olivia · Acme</p><script>x()</script>' });
    expect(patched.statusCode).toBe(200);
    expect(patched.data.mailbox.signatureHtml).toBe('<p>Olivia · Acme</p>');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('prefills reply, reply all and forward: recipients without the user, prefixes once, the quote under the signature', async () => {
    const m = await insertMail(t.db.db, t.services, mailboxId, {
      from: 'Li Lei <li.lei@customer.example>',
      replyTo: 'Orders <orders@customer.example>',
      to: ['sales@acme.example', 'Han Meimei <han@customer.example>'],
      cc: ['olivia@acme.example', 'boss@customer.example'],
      subject: '回复：报价',
      date: '2026-12-01T09:30:00Z',
      text: 'Line 1 <b>not bold</b>\nLine 2',
    });
    const reply = await owner.get(`/api/v1/messages/${m.id}/compose?mode=reply`);
    expect(reply.statusCode).toBe(200);
    expect(reply.data).toMatchObject({ mailboxId, kind: 'reply', sourceMessageId: m.id, subject: '回复：报价', cc: [], attachments: [] });
    expect(reply.data.to).toEqual([{ name: 'Orders', address: 'orders@customer.example' }]);
    const html: string = reply.data.html;
    expect(html).toContain('Line 1 &lt;b&gt;not bold&lt;/b&gt;<br>Line 2');
    expect(html).toMatch(/On .*2026.*, Li Lei wrote:/);
    expect(html.indexOf('Olivia · Acme')).toBeLessThan(html.indexOf('<blockquote'));

    const all = await owner.get(`/api/v1/messages/${m.id}/compose?mode=reply_all`);
    expect(all.data.to.map((a: { address: string }) => a.address)).toEqual(['orders@customer.example', 'han@customer.example']);
    expect(all.data.cc.map((a: { address: string }) => a.address)).toEqual(['boss@customer.example']);

    const fwd = await owner.get(`/api/v1/messages/${m.id}/compose?mode=forward`);
    expect(fwd.data).toMatchObject({ kind: 'forward', subject: 'Fwd: 回复：报价', to: [], cc: [] });
    expect(fwd.data.html).toContain('Forwarded message');
    expect(fwd.data.html).toContain('Li Lei &lt;li.lei@customer.example&gt;');

    await t.db.db.updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', ownerId).execute();
    const zh = await owner.get(`/api/v1/messages/${m.id}/compose?mode=reply`);
    expect(zh.data.html).toMatch(/2026.*，Li Lei 写道：/);
    expect((await owner.get(`/api/v1/messages/${m.id}/compose?mode=forward`)).data.html).toContain('转发的邮件');
    await t.db.db.updateTable('users').set({ locale: null }).where('id', '=', ownerId).execute();
  });

  it.each([
    ['Re: Offer', 'reply', 'Re: Offer'],
    ['RE: Offer', 'reply', 'RE: Offer'],
    ['Offer', 'reply', 'Re: Offer'],
    ['Fw: Offer', 'forward', 'Fw: Offer'],
    ['转发：Offer', 'forward', '转发：Offer'],
    ['Re: Offer', 'forward', 'Fwd: Re: Offer'],
    ['Fwd: Offer', 'reply', 'Re: Fwd: Offer'],
  ])('subject %j for %s → %j', async (subject, mode, expected) => {
    const m = await insertMail(t.db.db, t.services, mailboxId, { from: 'a@customer.example', subject });
    expect((await owner.get(`/api/v1/messages/${m.id}/compose?mode=${mode}`)).data.subject).toBe(expected);
  });

  it('offers the forwarded attachments; a reader who may not send replies from their own mailbox; partial readers learn nothing', async () => {
    const m = await insertMail(t.db.db, t.services, mailboxId, {
      from: 'a@customer.example',
      subject: 'Drawing',
      attachments: [{ filename: '图纸.pdf', contentType: 'application/pdf', content: Buffer.from('pdf') }],
    });
    const fwd = await owner.get(`/api/v1/messages/${m.id}/compose?mode=forward`);
    expect(fwd.data.attachments).toEqual([
      { attachmentId: expect.any(String), filename: '图纸.pdf', contentType: 'application/pdf', size: 3 },
    ]);

    expectProblem(await reader.get(`/api/v1/messages/${m.id}/compose?mode=reply`), 403, 'send_not_allowed');
    const own = await sendingMailbox(readerId, 'rex.own@acme.example', 'private');
    const r = await reader.get(`/api/v1/messages/${m.id}/compose?mode=reply`);
    expect(r.data.mailboxId).toBe(own);

    const board = await insertMail(t.db.db, t.services, subjectOnlyId, { from: 'a@customer.example', subject: 'Board' });
    expectProblem(await subjectReader.get(`/api/v1/messages/${board.id}/compose?mode=reply`), 404, 'not_found');
    expectProblem(await owner.get(`/api/v1/messages/${board.id}/compose?mode=nonsense`), 400, 'validation_failed');
  });

  it('lists the mailboxes a user may send from with signature, limits and today’s count; owners and admins manage who may send', async () => {
    const before = await reader.get('/api/v1/compose/senders');
    expect(before.data.items.map((i: { email: string }) => i.email)).toEqual(['rex.own@acme.example']);

    expectProblem(await reader.request('PUT', `/api/v1/mailboxes/${mailboxId}/senders`, { userIds: [readerId] }), 404, 'not_found');
    const put = await owner.request('PUT', `/api/v1/mailboxes/${mailboxId}/senders`, { userIds: [readerId, ownerId, readerId] });
    expect(put.statusCode).toBe(200);
    expect(put.data).toEqual({ userIds: [readerId] });
    expect((await admin.get(`/api/v1/mailboxes/${mailboxId}/senders`)).data).toEqual({ userIds: [readerId] });
    expectProblem(
      await owner.request('PUT', `/api/v1/mailboxes/${mailboxId}/senders`, { userIds: ['00000000-0000-4000-8000-000000000000'] }),
      400,
      'validation_failed',
    );

    const sent = await reader.post('/api/v1/outbox', {
      mailboxId,
      to: [{ address: 'a@x.example' }, { address: 'b@x.example' }],
      subject: 's',
      html: 'h',
      send: true,
    });
    expect(sent.statusCode).toBe(201);
    const after = await reader.get('/api/v1/compose/senders');
    const sales = after.data.items.find((i: { id: string }) => i.id === mailboxId);
    expect(sales).toEqual({
      id: mailboxId,
      email: 'sales@acme.example',
      displayName: null,
      signatureHtml: '<p>Olivia · Acme</p>',
      canSend: true,
      reason: null,
      limits: { maxMessageBytes: null, perDay: null, sentToday: 2 },
    });
    // The signature the form did not carry is appended at send.
    const row = await t.db.db.selectFrom('outbox_messages').select('html_body').where('id', '=', sent.data.id).executeTakeFirstOrThrow();
    expect(row.html_body).toContain('Olivia · Acme');

    await t.db.db.updateTable('mailboxes').set({ smtp_host: null }).where('id', '=', subjectOnlyId).execute();
    const ownerList = await owner.get('/api/v1/compose/senders');
    expect(ownerList.data.items.find((i: { id: string }) => i.id === subjectOnlyId)).toMatchObject({
      canSend: false,
      reason: 'no_smtp_server',
    });
  });

  it('completes recipients from contacts by name or address in either script, with company and bouncing', async () => {
    const company = await admin.post('/api/v1/companies', { name: '华为技术' });
    const c = await admin.post('/api/v1/contacts', {
      name: '张三丰',
      emails: ['zhang@huawei.example', 'z2@huawei.example'],
      companyId: company.data.company.id,
    });
    await admin.post('/api/v1/contacts', { name: 'Zhang Wei', emails: ['wei@other.example'] });
    await t.db.db
      .updateTable('contact_emails')
      .set({ bouncing_at: new Date(), bounce_reason: '550 5.1.1' })
      .where('address', '=', 'z2@huawei.example')
      .execute();
    const byName = await owner.get(`/api/v1/compose/recipients?q=${encodeURIComponent('张三')}`);
    expect(byName.statusCode).toBe(200);
    expect(byName.data.items).toEqual([
      { name: '张三丰', address: 'zhang@huawei.example', contactId: c.data.contact.id, companyName: '华为技术', bouncing: false },
      { name: '张三丰', address: 'z2@huawei.example', contactId: c.data.contact.id, companyName: '华为技术', bouncing: true },
    ]);
    const byAddress = await owner.get('/api/v1/compose/recipients?q=ZHANG');
    expect(byAddress.data.items.map((i: { address: string }) => i.address)).toEqual(['wei@other.example', 'zhang@huawei.example']);
    const colleague = await owner.get('/api/v1/compose/recipients?q=rex');
    expect(colleague.data.items).toEqual([
      { name: 'Rex Reader', address: 'rex@acme.example', contactId: null, companyName: null, bouncing: false },
    ]);
    expect((await owner.get('/api/v1/compose/recipients?q=%25')).data.items).toEqual([]);
  });
});
