// A queued outbox row goes out through the worker to the harness SMTP server byte for byte, lands once in
// Dovecot's Sent folder, is stored at once as a message of its mailbox, and stays one row after Sent syncs.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCrlf } from '../../src/outbox/line-endings.ts';
import { waitFor } from '../support/wait.ts';
import { type OutboxEnv, startOutboxEnv } from '../support/outbox.ts';

describe('the outbox sends a queued message (PGlite, SMTP + Dovecot harness)', () => {
  let o: OutboxEnv;

  beforeAll(async () => {
    o = await startOutboxEnv('pglite');
  }, 60_000);

  afterAll(async () => {
    await o?.close();
  });

  it('sends it byte for byte, saves one Sent copy and stores it once, merged with the synced copy', async () => {
    const events: string[] = [];
    o.env.services.events.on('outbox.updated', (e) => events.push(e.state));
    const created: string[] = [];
    o.env.services.events.on('message.created', (e) => created.push(e.messageId));
    o.worker();
    const q = await o.queue({
      to: ['ann@customer.test'],
      cc: ['carl@customer.test'],
      bcc: ['boss@ourco.test'],
      attachments: [{ filename: 'quote.pdf', content: Buffer.from('%PDF-1.4 not really a pdf\n') }],
    });
    const row = await o.waitForState(q.id, 'sent');

    const received = o.smtp.receivedWithMessageId(q.messageIdHeader);
    expect(received).toHaveLength(1);
    expect(received[0]!.raw.equals(q.raw)).toBe(true);
    expect(received[0]!.from).toBe(o.email);
    expect(received[0]!.to.sort()).toEqual(['ann@customer.test', 'boss@ourco.test', 'carl@customer.test']);
    expect(received[0]!.raw.toString('latin1')).not.toMatch(/^bcc:/im);
    expect(await o.sentCopies(q.messageIdHeader)).toBe(1);

    expect(row.phase).toBeNull();
    expect(row.lease_holder).toBeNull();
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error_code).toBeNull();
    expect(events).toEqual(['queued', 'sending', 'sent']);

    // Stored at once: a message of the mailbox with outbox_id, in no folder yet, announced to the linker.
    const stored = await o.env.db.db.selectFrom('messages').selectAll().where('id', '=', row.sent_message_id!).executeTakeFirstOrThrow();
    expect(stored.outbox_id).toBe(q.id);
    expect(stored.mailbox_id).toBe(o.mailboxId);
    expect(stored.seen).toBe(true);
    expect(stored.has_attachments).toBe(true);
    expect(created).toContain(stored.id);
    const attachments = await o.env.db.db.selectFrom('attachments').select(['filename']).where('message_id', '=', stored.id).execute();
    expect(attachments.map((a) => a.filename)).toEqual(['quote.pdf']);
    const audit = await o.env.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'mail.send')
      .where('target_id', '=', q.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ mailboxId: o.mailboxId, recipients: 3, messageIdHeader: q.messageIdHeader });

    // Sync of Sent: the same bytes merge into the stored row, which gains a folder membership.
    const s = o.env.supervisor();
    s.start();
    const member = await waitFor(
      'the Sent copy to be synced',
      async () =>
        o.env.db.db
          .selectFrom('message_folders')
          .innerJoin('mail_folders', 'mail_folders.id', 'message_folders.folder_id')
          .select(['message_folders.message_id', 'mail_folders.role'])
          .where('message_folders.message_id', '=', stored.id)
          .executeTakeFirst(),
      30_000,
      50,
    );
    expect(member.role).toBe('sent');
    const rows = await o.env.db.db
      .selectFrom('messages')
      .select(['id'])
      .where('mailbox_id', '=', o.mailboxId)
      .where('message_id_header', '=', stored.message_id_header)
      .execute();
    expect(rows.map((r) => r.id)).toEqual([stored.id]);
    await s.stop();
  }, 60_000);

  it('a source with bare LF line ends is sent, saved and stored with CRLF: one byte string everywhere', async () => {
    const q = await o.queue({ subject: 'bare LF', text: 'Line one\nLine two\n' });
    expect(q.raw.includes('Line one\nLine two')).toBe(true);
    const row = await o.waitForState(q.id, 'sent');
    const received = o.smtp.receivedWithMessageId(q.messageIdHeader);
    expect(received).toHaveLength(1);
    expect(received[0]!.raw.equals(withCrlf(q.raw))).toBe(true);
    const stored = await o.env.db.db
      .selectFrom('messages')
      .select(['raw_sha256'])
      .where('id', '=', row.sent_message_id!)
      .executeTakeFirstOrThrow();
    expect(stored.raw_sha256).toBe(createHash('sha256').update(received[0]!.raw).digest('hex'));
    expect((await o.env.services.blobs.get(stored.raw_sha256)).equals(received[0]!.raw)).toBe(true);
    expect(await o.sentCopies(q.messageIdHeader)).toBe(1);
  }, 60_000);
});
