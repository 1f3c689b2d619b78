import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type AddressObject, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendingLimits } from '../../src/outbox/limits.ts';
import { allPages, expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const addrs = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => ({ name: v.name, address: v.address })));

describe.each(databaseKinds)('composing and queueing mail on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let owner: Client;
  let allowed: Client;
  let other: Client;
  let ownerId: string;
  let allowedId: string;
  let mailboxId: string;
  let privateMailboxId: string;

  /** A mailbox with an SMTP server (the row alone: nothing is sent by these tests). */
  const sendingMailbox = async (userId: string, email: string, visibility: 'private' | 'share_all', providerId = 'custom') => {
    const id = await insertMailbox(t.db.db, userId, email, { visibility });
    await t.db.db
      .updateTable('mailboxes')
      .set({
        smtp_host: '127.0.0.1',
        smtp_port: 465,
        smtp_security: 'tls',
        display_name: '王小明 Sales',
        provider_id: providerId,
        status: 'active',
      })
      .where('id', '=', id)
      .execute();
    return id;
  };
  const raw = async (row: { id: string }) => {
    const stored = await t.db.db.selectFrom('outbox_messages').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(stored.raw_sha256).toMatch(/^[0-9a-f]{64}$/);
    const bytes = await t.services.blobs.get(stored.raw_sha256!);
    expect(stored.raw_size).toBe(bytes.length);
    return { stored, bytes, parsed: await simpleParser(bytes) };
  };
  const upload = (client: Client, bytes: Buffer, name: string, type: string) =>
    client.request('POST', '/api/v1/outbox/uploads', bytes, { 'content-type': type, 'x-filename': encodeURIComponent(name) });

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    ({ client: owner, id: ownerId } = await signInMember(t, admin, 'owner@example.test', 'Olivia Owner'));
    ({ client: allowed, id: allowedId } = await signInMember(t, admin, 'allowed@example.test', 'Al Allowed'));
    ({ client: other } = await signInMember(t, admin, 'other@example.test', 'Otto Other'));
    mailboxId = await sendingMailbox(ownerId, 'sales@acme.example', 'share_all');
    privateMailboxId = await sendingMailbox(ownerId, 'private@acme.example', 'private');
    await t.db.db.insertInto('mailbox_senders').values({ mailbox_id: mailboxId, user_id: allowedId, granted_by: ownerId }).execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('queues a new message: the MIME in the blob store has the headers, both parts and the attachment byte for byte, and no Bcc', async () => {
    const file = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    const up = await upload(owner, file, '报价单.pdf', 'application/pdf');
    expect(up.statusCode).toBe(201);
    expect(up.data).toMatchObject({ filename: '报价单.pdf', contentType: 'application/pdf', size: file.length });
    const events: string[] = [];
    const stop = t.services.events.on('outbox.updated', (e) => events.push(`${e.state}:${e.userId === ownerId}`));
    const before = Date.now();
    const res = await owner.post('/api/v1/outbox', {
      mailboxId,
      to: [{ name: '李雷, "Sales"', address: 'li.lei@customer.example' }],
      cc: [{ address: 'cc@customer.example' }],
      bcc: [{ name: 'Hidden Boss', address: 'boss@acme.example' }],
      subject: '报价 – Q3 offer ✓',
      html: '<p>Hello <b>Li</b>,</p><p>see the offer.</p><script>alert(1)</script><img src="https://cdn.acme.example/logo.png">',
      attachments: [{ uploadId: up.data.id }],
      send: true,
    });
    stop();
    expect(res.statusCode).toBe(201);
    expect(res.data.state).toBe('queued');
    expect(res.data.messageIdHeader).toMatch(/^<[A-Za-z0-9_-]+@acme\.example>$/);
    expect(res.data.html).not.toContain('script');
    expect(res.data.text).toContain('Hello Li');
    const due = Date.parse(res.data.sendAt);
    expect(due).toBeGreaterThanOrEqual(before + 10_000 - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 10_000 + 1000);
    expect(events).toEqual(['queued:true']);

    const { bytes, parsed } = await raw(res.data);
    expect(parsed.messageId).toBe(res.data.messageIdHeader);
    expect(parsed.subject).toBe('报价 – Q3 offer ✓');
    expect(addrs(parsed.from)).toEqual([{ name: '王小明 Sales', address: 'sales@acme.example' }]);
    expect(addrs(parsed.to)).toEqual([{ name: '李雷, "Sales"', address: 'li.lei@customer.example' }]);
    expect(addrs(parsed.cc)).toEqual([{ name: '', address: 'cc@customer.example' }]);
    expect(parsed.bcc).toBeUndefined();
    expect(bytes.toString('latin1')).not.toMatch(/boss@acme\.example|Hidden Boss/i);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    expect(parsed.html).toContain('<b>Li</b>');
    expect(parsed.html).toContain('src="https://cdn.acme.example/logo.png"');
    expect(parsed.text).toContain('see the offer.');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]!.filename).toBe('报价单.pdf');
    expect(parsed.attachments[0]!.contentType).toBe('application/pdf');
    expect(sha(parsed.attachments[0]!.content)).toBe(sha(file));
    expect(parsed.date!.getTime()).toBe(Math.floor(due / 1000) * 1000);

    const audit = await t.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'mail.queue')
      .where('target_id', '=', res.data.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toEqual({ recipients: 3, attachments: 1, sizeBytes: bytes.length, scheduled: false });
  });

  it('replies in the thread: In-Reply-To is the source, References its chain and then it', async () => {
    const source = await insertMail(t.db.db, t.services, mailboxId, {
      from: 'Li Lei <li.lei@customer.example>',
      to: 'sales@acme.example',
      subject: '回复：Offer',
      messageId: '<m3@customer.example>',
      references: ['<m1@customer.example>', 'garbage without brackets', '<m2@customer.example>'],
      text: 'Thanks',
    });
    const res = await owner.post('/api/v1/outbox', {
      mailboxId,
      kind: 'reply',
      sourceMessageId: source.id,
      to: [{ address: 'li.lei@customer.example' }],
      subject: '回复：Offer',
      html: '<p>Thanks!</p>',
      send: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.data.sourceMessageId).toBe(source.id);
    const { parsed, stored } = await raw(res.data);
    expect(stored.in_reply_to).toBe('<m3@customer.example>');
    expect(parsed.inReplyTo).toBe('<m3@customer.example>');
    expect(parsed.references).toEqual(['<m1@customer.example>', '<m2@customer.example>', '<m3@customer.example>']);
  });

  it('forwards the original attachment byte for byte, only for a reader of the whole message', async () => {
    const bytes = Buffer.from('%PDF-1.4 original attachment bytes \u0000\u0001\u0002');
    const source = await insertMail(t.db.db, t.services, mailboxId, {
      from: 'li.lei@customer.example',
      to: 'sales@acme.example',
      subject: 'Drawing',
      attachments: [{ filename: 'drawing.pdf', contentType: 'application/pdf', content: bytes }],
    });
    const stored = await t.services.blobs.put(bytes);
    const att = await t.db.db
      .updateTable('attachments')
      .set({ sha256: stored, size: bytes.length })
      .where('message_id', '=', source.id)
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await owner.post('/api/v1/outbox', {
      mailboxId,
      kind: 'forward',
      sourceMessageId: source.id,
      to: [{ address: 'colleague@partner.example' }],
      subject: 'Fwd: Drawing',
      html: '<p>FYI</p>',
      attachments: [{ attachmentId: att.id }],
      send: true,
    });
    expect(res.statusCode).toBe(201);
    const { parsed } = await raw(res.data);
    expect(parsed.inReplyTo).toBeUndefined();
    expect(parsed.attachments.map((a) => [a.filename, sha(a.content)])).toEqual([['drawing.pdf', sha(bytes)]]);

    // Another member's upload is not theirs to attach; a private mailbox's attachment is not theirs to read.
    const theirs = await upload(owner, Buffer.from('mine'), 'mine.txt', 'text/plain');
    const draft = { mailboxId, to: [{ address: 'x@partner.example' }], subject: 's', html: 'h' };
    expectProblem(await allowed.post('/api/v1/outbox', { ...draft, attachments: [{ uploadId: theirs.data.id }] }), 404, 'not_found');
    const hidden = await insertMail(t.db.db, t.services, privateMailboxId, {
      from: 'x@customer.example',
      subject: 'private',
      attachments: [{ filename: 'p.pdf', content: Buffer.from('p') }],
    });
    const hiddenAtt = await t.db.db.selectFrom('attachments').select('id').where('message_id', '=', hidden.id).executeTakeFirstOrThrow();
    expectProblem(await allowed.post('/api/v1/outbox', { ...draft, attachments: [{ attachmentId: hiddenAtt.id }] }), 404, 'not_found');
  });

  it('refuses header injection in names, addresses and the subject with a stable code, never a 500', async () => {
    const base = { mailboxId, subject: 'Hi', html: '<p>x</p>', send: true };
    const attempts = [
      { to: [{ name: 'Eve\r\nBcc: victim@x.example', address: 'eve@x.example' }] },
      { to: [{ address: 'eve@x.example\r\nBcc: victim@x.example' }] },
      { to: [{ address: 'Eve <eve@x.example>' }] },
      { to: [{ address: 'a@x.example, b@x.example' }] },
      { to: [{ address: 'no-at-sign' }] },
      { cc: [{ name: 'Line\nbreak', address: 'c@x.example' }], to: [{ address: 'ok@x.example' }] },
      { bcc: [{ address: 'bcc@x.example\n' }], to: [{ address: 'ok@x.example' }] },
    ];
    for (const a of attempts) expectProblem(await owner.post('/api/v1/outbox', { ...base, ...a }), 422, 'invalid_address');
    const subject = await owner.post('/api/v1/outbox', {
      ...base,
      to: [{ address: 'ok@x.example' }],
      subject: 'Hi\r\nBcc: victim@x.example',
    });
    expectProblem(subject, 400, 'validation_failed');
    expectProblem(await owner.post('/api/v1/outbox', { ...base, to: [] }), 422, 'no_recipients');
    // A refused send leaves nothing behind.
    const rows = await t.db.db.selectFrom('outbox_messages').select('id').where('subject', 'like', 'Hi%').execute();
    expect(rows).toEqual([]);
  });

  it('lets the owner and allowed users send; a member who sees the mailbox is refused, one who cannot is told it does not exist', async () => {
    const msg = (id: string) => ({ mailboxId: id, to: [{ address: 'x@partner.example' }], subject: 'perm', html: 'p', send: true });
    expect((await owner.post('/api/v1/outbox', msg(mailboxId))).statusCode).toBe(201);
    expect((await allowed.post('/api/v1/outbox', msg(mailboxId))).statusCode).toBe(201);
    expectProblem(await other.post('/api/v1/outbox', msg(mailboxId)), 403, 'send_not_allowed');
    expectProblem(await admin.post('/api/v1/outbox', msg(mailboxId)), 403, 'send_not_allowed');
    expectProblem(await other.post('/api/v1/outbox', msg(privateMailboxId)), 404, 'not_found');
    expectProblem(await admin.post('/api/v1/outbox', msg(privateMailboxId)), 403, 'send_not_allowed');
    // The allowed user's message is theirs, not the owner's.
    const list = await owner.get('/api/v1/outbox?state=queued');
    expect(list.data.items.every((i: { from: { address: string } }) => i.from.address)).toBe(true);
    const mine = await allowed.get('/api/v1/outbox');
    expect(mine.data.items).toHaveLength(1);
    expectProblem(await owner.get(`/api/v1/outbox/${mine.data.items[0].id}`), 404, 'not_found');

    const noSmtp = await insertMailbox(t.db.db, ownerId, 'nosmtp@acme.example');
    expectProblem(await owner.post('/api/v1/outbox', msg(noSmtp)), 409, 'mailbox_cannot_send');
    await t.db.db.updateTable('mailboxes').set({ status: 'paused' }).where('id', '=', privateMailboxId).execute();
    expectProblem(await owner.post('/api/v1/outbox', msg(privateMailboxId)), 409, 'mailbox_cannot_send');
    // Writing a draft does not need the mailbox working; sending it does.
    const draft = await owner.post('/api/v1/outbox', { ...msg(privateMailboxId), send: false });
    expect(draft.statusCode).toBe(201);
    expectProblem(await owner.post(`/api/v1/outbox/${draft.data.id}/send`, {}), 409, 'mailbox_cannot_send');
    await t.db.db.updateTable('mailboxes').set({ status: 'active' }).where('id', '=', privateMailboxId).execute();
  });

  it('autosaves drafts keeping the Message-ID, queues them, undoes while not taken, and refuses edits of a queued message', async () => {
    const created = await owner.post('/api/v1/outbox', {
      mailboxId,
      to: [{ address: 'draft@partner.example' }],
      subject: 'Dr',
      html: 'one',
    });
    expect(created.statusCode).toBe(201);
    expect(created.data.state).toBe('draft');
    const id = created.data.id;
    const saved = await owner.patch(`/api/v1/outbox/${id}`, { subject: 'Draft 2', html: '<p>two</p>' });
    expect(saved.statusCode).toBe(200);
    expect(saved.data).toMatchObject({ subject: 'Draft 2', html: '<p>two</p>', messageIdHeader: created.data.messageIdHeader });

    const queued = await owner.post(`/api/v1/outbox/${id}/send`, { undoSeconds: 30 });
    expect(queued.statusCode, queued.body).toBe(200);
    expect(queued.data.state).toBe('queued');
    expect(Date.parse(queued.data.sendAt) - Date.now()).toBeGreaterThan(25_000);
    expectProblem(await owner.patch(`/api/v1/outbox/${id}`, { subject: 'late' }), 409, 'outbox_state_conflict');
    expectProblem(await owner.post(`/api/v1/outbox/${id}/send`, {}), 409, 'outbox_state_conflict');

    const undone = await owner.post(`/api/v1/outbox/${id}/undo`);
    expect(undone.statusCode).toBe(200);
    expect(undone.data).toMatchObject({ state: 'draft', sendAt: null, messageIdHeader: created.data.messageIdHeader });
    const row = await t.db.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.raw_sha256).toBeNull();
    expectProblem(await owner.post(`/api/v1/outbox/${id}/undo`), 409, 'outbox_state_conflict');

    // A sender took it: too late to undo or cancel.
    await owner.post(`/api/v1/outbox/${id}/send`, {});
    await t.db.db.updateTable('outbox_messages').set({ state: 'sending', lease_holder: 'test' }).where('id', '=', id).execute();
    expectProblem(await owner.post(`/api/v1/outbox/${id}/undo`), 409, 'outbox_state_conflict');
    expectProblem(await owner.delete(`/api/v1/outbox/${id}`), 409, 'outbox_state_conflict');

    // Failed: shown with the explanation in the reader's language, editable (back to draft) and sendable again.
    await t.db.db
      .updateTable('outbox_messages')
      .set({
        state: 'failed',
        last_error_code: 'send_auth_failed',
        last_error: '535 5.7.8 Authentication failed',
        last_error_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const failed = await owner.get(`/api/v1/outbox/${id}`);
    expect(failed.data.lastError).toMatchObject({ code: 'send_auth_failed', serverResponse: '535 5.7.8 Authentication failed' });
    expect(failed.data.lastError.fix).toMatch(/password|authorization code/);
    const edited = await owner.patch(`/api/v1/outbox/${id}`, { subject: 'Retry' });
    expect(edited.data.state).toBe('draft');
    expect((await owner.post(`/api/v1/outbox/${id}/send`, {})).data.state).toBe('queued');
    expect((await owner.delete(`/api/v1/outbox/${id}`)).statusCode).toBe(204);
    expect((await owner.get(`/api/v1/outbox/${id}`)).data.state).toBe('cancelled');

    // A draft never edited, and a row the engine wrote with the database's clock, are sent as they are.
    const fresh = await owner.post('/api/v1/outbox', { mailboxId, to: [{ address: 'f@partner.example' }], subject: 'Fresh', html: 'f' });
    expect((await owner.post(`/api/v1/outbox/${fresh.data.id}/send`, {})).data.state).toBe('queued');
    await sql`update outbox_messages set state = 'failed', updated_at = now() where id = ${fresh.data.id}`.execute(t.db.db);
    expect((await owner.post(`/api/v1/outbox/${fresh.data.id}/send`, {})).data.state).toBe('queued');

    const gone = await owner.post('/api/v1/outbox', { mailboxId, subject: 'bye', html: '' });
    expect((await owner.delete(`/api/v1/outbox/${gone.data.id}`)).statusCode).toBe(204);
    expectProblem(await owner.get(`/api/v1/outbox/${gone.data.id}`), 404, 'not_found');
  });

  it('autosaves the attachment list: files added to a saved draft are kept, ones it holds are named by hash, a hash it does not hold is refused', async () => {
    const created = await owner.post('/api/v1/outbox', {
      mailboxId,
      to: [{ address: 'files@partner.example' }],
      subject: 'Files',
      html: 'x',
    });
    const first = await upload(owner, Buffer.from('first file'), 'first.txt', 'text/plain');
    const added = await owner.patch(`/api/v1/outbox/${created.data.id}`, { attachments: [{ uploadId: first.data.id }] });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.data.attachments.map((a: { filename: string }) => a.filename)).toEqual(['first.txt']);

    // The text changes alone: the files stay.
    const typed = await owner.patch(`/api/v1/outbox/${created.data.id}`, { html: 'more' });
    expect(typed.data.attachments).toHaveLength(1);

    // The reopened draft names what it holds by hash, beside a new upload.
    const second = await upload(owner, Buffer.from('second file'), 'second.txt', 'text/plain');
    const both = await owner.patch(`/api/v1/outbox/${created.data.id}`, {
      attachments: [{ sha256: added.data.attachments[0].sha256 }, { uploadId: second.data.id }],
    });
    expect(both.data.attachments.map((a: { filename: string }) => a.filename)).toEqual(['first.txt', 'second.txt']);

    const unknown = 'f'.repeat(64);
    expectProblem(await owner.patch(`/api/v1/outbox/${created.data.id}`, { attachments: [{ sha256: unknown }] }), 404, 'not_found');
    expectProblem(
      await owner.post('/api/v1/outbox', { mailboxId, subject: 'x', attachments: [{ sha256: both.data.attachments[0].sha256 }] }),
      404,
      'not_found',
    );
    // Removing one keeps the other.
    const one = await owner.patch(`/api/v1/outbox/${created.data.id}`, { attachments: [{ uploadId: second.data.id }] });
    expect(one.data.attachments.map((a: { filename: string }) => a.filename)).toEqual(['second.txt']);
  });

  it('schedules a send and refuses a time in the past', async () => {
    const at = new Date(Date.now() + 3600_000).toISOString();
    const res = await owner.post('/api/v1/outbox', {
      mailboxId,
      to: [{ address: 's@partner.example' }],
      subject: 'Later',
      html: 'l',
      send: true,
      sendAt: at,
    });
    expect(res.statusCode).toBe(201);
    expect(res.data.sendAt).toBe(at);
    const { parsed } = await raw(res.data);
    expect(parsed.date!.toISOString()).toBe(at.replace(/\.\d{3}Z$/, '.000Z'));
    const past = new Date(Date.now() - 3600_000).toISOString();
    expectProblem(
      await owner.post('/api/v1/outbox', {
        mailboxId,
        to: [{ address: 's@partner.example' }],
        subject: 'Past',
        html: 'p',
        send: true,
        sendAt: past,
      }),
      422,
      'send_at_in_past',
    );
  });

  it("refuses a message over the provider's daily recipients (Retry-After) or size", async () => {
    const gmail = await sendingMailbox(ownerId, 'rep@gmail.com', 'private', 'gmail');
    const limits = sendingLimits({ provider_id: 'gmail' });
    expect(limits.perDay).toBe(500);
    // 499 recipients went out three hours ago.
    const sentAt = new Date(Date.now() - 3 * 3600_000);
    await t.db.db
      .insertInto('outbox_messages')
      .values({
        mailbox_id: gmail,
        created_by: ownerId,
        state: 'sent',
        message_id_header: '<old@gmail.com>',
        from: JSON.stringify({ name: null, address: 'rep@gmail.com' }),
        to: JSON.stringify(Array.from({ length: 499 }, (_, i) => ({ name: null, address: `r${i}@x.example` }))),
        cc: '[]',
        bcc: '[]',
        attachments: '[]',
        sent_at: sentAt,
      })
      .execute();
    const one = await owner.post('/api/v1/outbox', {
      mailboxId: gmail,
      to: [{ address: 'a@x.example' }],
      subject: 'q',
      html: 'q',
      send: true,
    });
    expect(one.statusCode).toBe(201);
    const over = await owner.post('/api/v1/outbox', {
      mailboxId: gmail,
      to: [{ address: 'b@x.example' }],
      subject: 'q',
      html: 'q',
      send: true,
    });
    expectProblem(over, 429, 'send_quota_reached');
    expect(over.data).toMatchObject({ limit: 500, sentToday: 500 });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(20 * 3600);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(21 * 3600);
    await t.db.db.deleteFrom('outbox_messages').where('mailbox_id', '=', gmail).execute();

    const big = Buffer.alloc(limits.maxMessageBytes! - 1000, 1);
    const up = await upload(owner, big, 'big.bin', 'application/octet-stream');
    expect(up.statusCode).toBe(201);
    const tooLarge = await owner.post('/api/v1/outbox', {
      mailboxId: gmail,
      to: [{ address: 'a@x.example' }],
      subject: 'big',
      html: 'b',
      attachments: [{ uploadId: up.data.id }],
      send: true,
    });
    expectProblem(tooLarge, 413, 'message_too_large');
    expect(tooLarge.data.limitBytes).toBe(limits.maxMessageBytes);
    expect(tooLarge.data.sizeBytes).toBeGreaterThan(limits.maxMessageBytes!);
  });

  it('takes uploads up to the limit only, names decoded from percent-encoding', async () => {
    const bad = await owner.request('POST', '/api/v1/outbox/uploads', Buffer.from('x'), {
      'content-type': 'text/plain',
      'x-filename': '%E0%A4%A',
    });
    expectProblem(bad, 400, 'validation_failed');
    const json = await upload(owner, Buffer.from('{"a":1}'), 'data.json', 'application/json');
    expect(json.statusCode).toBe(201);
    expect(json.data).toMatchObject({ filename: 'data.json', contentType: 'application/json', size: 7 });
    const tooBig = await upload(owner, Buffer.alloc(26 * 1024 * 1024), 'huge.bin', 'application/octet-stream');
    expectProblem(tooBig, 413, 'upload_too_large');
  });
  it('pages the outbox newest change first, each message once, and refuses a cursor it did not give', async () => {
    const draft = { mailboxId, to: [{ address: 'x@partner.example' }], subject: 'paged', html: 'p', send: false };
    for (let i = 0; i < 3; i++) expect((await owner.post('/api/v1/outbox', draft)).statusCode).toBe(201);
    const whole = (await owner.get('/api/v1/outbox?limit=100')).data.items as { id: string; updatedAt: string }[];
    const paged = await allPages(owner, '/api/v1/outbox?limit=2');
    expect(paged.items.map((i) => i.id)).toEqual(whole.map((i) => i.id));
    expect(paged.pages).toBe(Math.ceil(whole.length / 2));
    const times = whole.map((i) => Date.parse(i.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expectProblem(await owner.get('/api/v1/outbox?cursor=not-a-cursor'), 400, 'invalid_cursor');
  });
});
