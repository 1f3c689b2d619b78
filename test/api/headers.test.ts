import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';

/** The headers every answer carries: nothing from the API is cached, HSTS under https, no referrer from mail. */
describe('security headers', () => {
  let t: TestApp;
  let admin: Client;
  let messageId: string;
  let attachmentId: string;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
    const me = await admin.get('/api/v1/me');
    const mailboxId = await insertMailbox(t.db.db, me.data.user.id, 'rep@example.test');
    const mail = await insertMail(t.db.db, t.services, mailboxId, {
      from: 'Li Wei <li@client.example>',
      to: 'rep@example.test',
      subject: 'Quote',
      text: 'The quote',
      attachments: [{ filename: 'quote.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') }],
    });
    messageId = mail.id;
    // insertMail leaves no blobs: store the source and the attachment, and an HTML body.
    const raw = await t.services.blobs.put(Buffer.from('Subject: Quote\r\n\r\nThe quote\r\n'));
    const pdf = await t.services.blobs.put(Buffer.from('%PDF-1.4'));
    await t.db.db
      .updateTable('messages')
      .set({ raw_sha256: raw, html_body: '<p>The <a href="https://tracker.example/x">quote</a></p>' })
      .where('id', '=', messageId)
      .execute();
    await t.db.db.updateTable('attachments').set({ sha256: pdf }).where('message_id', '=', messageId).execute();
    attachmentId = (await t.db.db.selectFrom('attachments').select('id').where('message_id', '=', messageId).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends Cache-Control: no-store on API answers, problems, attachments and raw sources', async () => {
    const answers = await Promise.all([
      admin.get('/api/v1/health'),
      admin.get('/api/v1/me'),
      admin.get(`/api/v1/messages/${messageId}`),
      admin.get('/api/v1/nope'),
      admin.get(`/api/v1/messages/${messageId}/raw`),
      admin.get(`/api/v1/attachments/${attachmentId}`),
      admin.get(`/api/v1/messages/${messageId}/html`),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 404, 200, 200, 200]);
    for (const res of answers) expect(String(res.headers['cache-control'])).toMatch(/\bno-store\b/);
  });

  it('keeps Referrer-Policy: no-referrer on the message document', async () => {
    const res = await admin.get(`/api/v1/messages/${messageId}/html`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sends no HSTS when the public address is http', async () => {
    const res = await admin.get('/api/v1/health');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS on every answer when TIDINGS_BASE_URL is https', async () => {
    const https = await createTestApp('pglite', { baseUrl: 'https://crm.example.test', secureCookies: true });
    try {
      for (const url of ['/api/v1/health', '/api/v1/nope', '/', '/contacts']) {
        const res = await https.app.inject({ method: 'GET', url });
        expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
      }
    } finally {
      await https.close();
    }
  });
});
