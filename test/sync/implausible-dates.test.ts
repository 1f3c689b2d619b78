import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../support/message.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'dates@example.test';

interface Listed {
  subject: string;
  date: string;
  headerDate: string | null;
  receivedAt: string | null;
}

// A real spam sample was dated year 3609: it must not sit at the top of the inbox forever.
describe('implausible Date headers (Dovecot)', () => {
  let env: SyncEnv;
  let items: Listed[];
  const soon = new Date(Date.now() + 2 * 60 * 60 * 1000);

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    const mailboxId = await env.bindMailbox(USER, 'dates-password-1');
    const mail = (subject: string, date: string) =>
      buildMessage({
        from: 'Sender <sender@example.org>',
        to: [USER],
        subject,
        date,
        messageId: `<${subject}@example.org>`,
        text: subject,
      });
    await env.dovecot.append(USER, 'INBOX', mail('spam-3609', 'Sat, 01 Jan 3609 00:00:00 +0000'));
    await env.dovecot.append(USER, 'INBOX', mail('dead-clock-1970', 'Thu, 01 Jan 1970 00:00:00 +0000'));
    await env.dovecot.append(USER, 'INBOX', mail('clock-hours-fast', soon.toUTCString()));
    await env.dovecot.append(USER, 'INBOX', mail('last-year', 'Mon, 01 Dec 2025 10:00:00 +0000'));
    env.supervisor().start();
    await waitFor('import', async () => (await countMessages(env, mailboxId)) === 4);
    items = (await env.admin.get('/api/v1/messages?limit=10')).data.items;
  });
  afterAll(async () => env?.close());

  it('sorts a message dated year 3609 by when the server received it, and still returns its header date', () => {
    const spam = items.find((m) => m.subject === 'spam-3609')!;
    expect(spam.headerDate).toBe('3609-01-01T00:00:00.000Z');
    expect(spam.receivedAt).not.toBeNull();
    expect(spam.date).toBe(spam.receivedAt);
    // A header a couple of hours fast is believed: it stays above the spam.
    expect(items.map((m) => m.subject)).toEqual(['clock-hours-fast', expect.any(String), expect.any(String), 'last-year']);
    expect(items[0].date).toBe(new Date(soon.toUTCString()).toISOString());
  });

  it('sorts a header before 1990 by the received date too', () => {
    const dead = items.find((m) => m.subject === 'dead-clock-1970')!;
    expect(dead.headerDate).toBe('1970-01-01T00:00:00.000Z');
    expect(dead.date).toBe(dead.receivedAt);
    const last = items.find((m) => m.subject === 'last-year')!;
    expect(last).toMatchObject({ date: '2025-12-01T10:00:00.000Z', headerDate: '2025-12-01T10:00:00.000Z' });
  });
});
