// What the outbox does with the server's refusals: 4xx is retried and delivered once; 5xx fails the row
// with the server's answer and leaves no Sent copy; refused recipients among accepted ones are shown on a
// sent row. And an OAuth mailbox sends over XOAUTH2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthTestClient, type OAuthProviderInstance, startOAuthProvider } from '../harness/index.ts';
import type { OutboxWorker } from '../../src/outbox/worker.ts';
import { type OutboxEnv, startOutboxEnv } from '../support/outbox.ts';

describe('outbox failures (PGlite, SMTP + Dovecot harness)', () => {
  let o: OutboxEnv;
  let main: OutboxWorker;

  beforeAll(async () => {
    o = await startOutboxEnv('pglite');
    main = o.worker();
  }, 60_000);

  afterAll(async () => {
    await o?.close();
  });

  it('a 451 answer to the message is retried and the message delivered once, with one Sent copy', async () => {
    o.smtp.failNext({ at: 'data', code: 451, message: '4.3.0 Try again later' });
    const q = await o.queue({ subject: '451 once' });
    const row = await o.waitForState(q.id, 'sent');
    expect(row.attempts).toBe(2);
    expect(o.smtp.receivedWithMessageId(q.messageIdHeader)).toHaveLength(1);
    expect(await o.sentCopies(q.messageIdHeader)).toBe(1);
  }, 30_000);

  it('a 421 at MAIL FROM is retried too', async () => {
    o.smtp.failNext({ at: 'mail', code: 421, message: '4.7.0 Too many connections, slow down', times: 2 });
    const q = await o.queue({ subject: '421 twice' });
    const row = await o.waitForState(q.id, 'sent');
    expect(row.attempts).toBe(3);
    expect(o.smtp.receivedWithMessageId(q.messageIdHeader)).toHaveLength(1);
  }, 30_000);

  it('a 550 answer fails the row with the server answer shown, and the Sent copy is taken out again', async () => {
    o.smtp.failNext({ at: 'data', code: 550, message: '5.7.1 Message rejected as spam by Content Filtering' });
    const uidNext = await o.sentUidNext();
    const q = await o.queue({ subject: '550' });
    const row = await o.waitForState(q.id, 'failed');
    expect(row.last_error_code).toBe('send_rejected');
    expect(row.last_error).toContain('550 5.7.1 Message rejected as spam by Content Filtering');
    expect(row.attempts).toBe(1);
    expect(row.phase).toBeNull();
    expect(o.smtp.receivedWithMessageId(q.messageIdHeader)).toHaveLength(0);
    // It was put in Sent before the go, then taken out.
    expect(await o.sentUidNext()).toBe(uidNext + 1);
    expect(await o.sentCopies(q.messageIdHeader)).toBe(0);
    expect(row.sent_message_id).toBeNull();
    const audit = await o.env.db.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'mail.send_failed')
      .where('target_id', '=', q.id)
      .execute();
    expect(audit.map((a) => (a.detail as { code: string }).code)).toEqual(['send_rejected']);
  }, 30_000);

  it('every recipient refused: failed with the answer; one of two refused: sent, the refused one shown', async () => {
    o.smtp.failNext({ at: 'rcpt', code: 550, message: '5.1.1 <nobody@customer.test>: Recipient address rejected: User unknown' });
    const all = await o.queue({ to: ['nobody@customer.test'], subject: 'nobody' });
    const failed = await o.waitForState(all.id, 'failed');
    expect(failed.last_error_code).toBe('send_rejected');
    expect(failed.last_error).toContain('User unknown');

    o.smtp.failNext({ at: 'rcpt', code: 550, message: '5.1.1 Recipient address rejected: User unknown', recipient: 'gone@customer.test' });
    const some = await o.queue({ to: ['ann@customer.test', 'gone@customer.test'], subject: 'some refused' });
    const sent = await o.waitForState(some.id, 'sent');
    expect(sent.last_error_code).toBe('recipients_rejected');
    expect(sent.last_error).toContain('gone@customer.test');
    expect(sent.last_error).toContain('550 5.1.1');
    const received = o.smtp.receivedWithMessageId(some.messageIdHeader);
    expect(received.map((r) => r.to)).toEqual([['ann@customer.test']]);
    expect(await o.sentCopies(some.messageIdHeader)).toBe(1);
  }, 30_000);

  it('a wrong password fails as send_auth_failed with the answer and no secret', async () => {
    await main.stop();
    const q = await o.queue({ subject: 'wrong password' });
    const mailbox = await o.env.db.db.selectFrom('mailboxes').select('secret_id').where('id', '=', o.mailboxId).executeTakeFirstOrThrow();
    const wrong = await o.env.services.vault.put(
      o.env.db.db,
      { ownerType: 'mailbox', ownerId: null, kind: 'password' },
      'not-the-password',
    );
    // SMTP only: the IMAP side (Sent) keeps the right one through the app's connector factory.
    const senderFor = o.senderFor;
    const w = o.worker({
      holder: 'wrong-password',
      senderFor: (m) => senderFor({ ...m, secret_id: wrong }),
    });
    try {
      const row = await o.waitForState(q.id, 'failed', 20_000);
      expect(row.last_error_code).toBe('send_auth_failed');
      expect(row.last_error).toMatch(/535/);
      expect(row.last_error).not.toContain('not-the-password');
      expect(await o.sentCopies(q.messageIdHeader)).toBe(0);
    } finally {
      await w.stop();
    }
    expect(mailbox.secret_id).not.toBe(wrong);
  }, 30_000);
});

describe('an OAuth mailbox sends over XOAUTH2 (PGlite, local Google, Dovecot and SMTP checking tokens)', () => {
  let google: OAuthProviderInstance;
  let o: OutboxEnv;
  const USER = 'ann@corp.example';

  beforeAll(async () => {
    google = await startOAuthProvider({ kind: 'google' });
    google.addAccount(USER);
    const { accessToken } = await (await oauthTestClient(google)).signIn(USER);
    o = await startOutboxEnv('pglite', {
      email: USER,
      oauth: { userinfoUrl: google.userinfoUrl, tokens: { accessTokenFor: async () => accessToken } },
    });
  }, 60_000);

  afterAll(async () => {
    await o?.close();
    await google?.stop();
  });

  it('sends with the token, saves the Sent copy over XOAUTH2 IMAP', async () => {
    o.worker();
    const q = await o.queue({ subject: 'over XOAUTH2' });
    await o.waitForState(q.id, 'sent');
    const received = o.smtp.receivedWithMessageId(q.messageIdHeader);
    expect(received).toHaveLength(1);
    expect(received[0]!.user).toBe(USER);
    expect(await o.sentCopies(q.messageIdHeader)).toBe(1);
    // Whoever checked the token said yes for this user (SMTP, and Dovecot for the Sent copy).
    expect(google.userinfoRequests.filter((r) => r.status === 200 && r.email === USER).length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
