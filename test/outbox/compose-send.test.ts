// Composed through the API, queued with no undo window, taken by the engine's worker: the harness SMTP
// server receives exactly the MIME the compose path built and stored (Bcc in the envelope only).
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxEnv, startOutboxEnv } from '../support/outbox.ts';

describe('a message composed through the API reaches the SMTP server (PGlite, SMTP + Dovecot harness)', () => {
  let o: OutboxEnv;

  beforeAll(async () => {
    o = await startOutboxEnv('pglite');
  }, 60_000);

  afterAll(async () => {
    await o?.close();
  });

  it('sends the stored MIME byte for byte to To, Cc and Bcc, with the attachment and the UTF-8 subject', async () => {
    o.worker();
    const file = Buffer.from('%PDF-1.4 报价\n');
    const up = await o.env.admin.request('POST', '/api/v1/outbox/uploads', file, {
      'content-type': 'application/pdf',
      'x-filename': encodeURIComponent('报价单.pdf'),
    });
    expect(up.statusCode).toBe(201);
    const res = await o.env.admin.post('/api/v1/outbox', {
      mailboxId: o.mailboxId,
      to: [{ name: '李雷', address: 'li.lei@customer.test' }],
      cc: [{ address: 'carl@customer.test' }],
      bcc: [{ address: 'boss@ourco.test' }],
      subject: '报价 Q3',
      html: '<p>您好，<b>报价</b>见附件。</p>',
      attachments: [{ uploadId: up.data.id }],
      send: true,
      undoSeconds: 0,
    });
    expect(res.statusCode).toBe(201);
    const row = await o.waitForState(res.data.id, 'sent');
    const stored = await o.env.services.blobs.get(row.raw_sha256!);

    const received = o.smtp.receivedWithMessageId(res.data.messageIdHeader);
    expect(received).toHaveLength(1);
    expect(received[0]!.raw.equals(stored)).toBe(true);
    expect(received[0]!.to.sort()).toEqual(['boss@ourco.test', 'carl@customer.test', 'li.lei@customer.test']);
    expect(received[0]!.raw.toString('latin1')).not.toMatch(/^bcc:|boss@ourco\.test/im);
    const parsed = await simpleParser(received[0]!.raw);
    expect(parsed.subject).toBe('报价 Q3');
    expect(parsed.attachments.map((a) => [a.filename, a.content.equals(file)])).toEqual([['报价单.pdf', true]]);
    expect(await o.sentCopies(res.data.messageIdHeader)).toBe(1);
  });
});
