import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../support/message.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

// TIDINGS_MAX_MESSAGE_MB at 1 MB against real Dovecot: a bigger message is stored with its headers and a
// note, and its body never reaches Tidings.
describe('the size cap on a fetched message (Dovecot, PGlite)', () => {
  const small = buildMessage({ from: 'small@client.example', to: 'capped@example.test', subject: 'small one', text: 'short body text' });
  let env: SyncEnv;
  let mailbox: string;

  beforeAll(async () => {
    env = await startSyncEnv('pglite', { config: { maxMessageBytes: 1024 * 1024 } });
    mailbox = await env.bindMailbox('capped@example.test', 'capped-password-1');
    await env.dovecot.append(
      'capped@example.test',
      'INBOX',
      buildMessage({
        from: 'Big Sender <big@client.example>',
        to: 'capped@example.test',
        subject: 'quarterly scans',
        messageId: 'big-1@client.example',
        text: 'see the attached scans',
        attachments: [{ filename: 'scans.pdf', contentType: 'application/pdf', content: Buffer.alloc(3 * 1024 * 1024, 7) }],
      }),
    );
    await env.dovecot.append('capped@example.test', 'INBOX', small);
    env.supervisor().start();
    await waitFor('import', async () => (await countMessages(env, mailbox)) === 2, 30_000);
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  const bySubject = async (subject: string) => {
    const list = await env.admin.get(`/api/v1/messages?mailboxId=${mailbox}`);
    const item = list.data.items.find((m: any) => m.subject === subject);
    return (await env.admin.get(`/api/v1/messages/${item.id}`)).data;
  };

  it('a message over the cap is stored with its headers, its real size and the too-large flag', async () => {
    const big = await bySubject('quarterly scans');
    expect(big.tooLarge).toBe(true);
    expect(big.from).toEqual([{ name: 'Big Sender', address: 'big@client.example' }]);
    expect(big.messageId).toBe('<big-1@client.example>');
    expect(big.size).toBeGreaterThan(3 * 1024 * 1024);
    expect(big.text).toBeNull();
    expect(big.attachments).toEqual([]);
    expect(big.parseError).toBeNull();
    // What was kept is the header block alone: the body never came.
    const raw = await env.admin.get(`/api/v1/messages/${big.id}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.body.length).toBeLessThan(4096);
    expect(raw.body).toContain('Subject: quarterly scans');
  });

  it('a message under the cap is stored whole, byte for byte', async () => {
    const stored = await bySubject('small one');
    expect(stored.tooLarge).toBe(false);
    expect(stored.text).toContain('short body text');
    expect((await env.admin.get(`/api/v1/messages/${stored.id}/raw`)).rawPayload.equals(small)).toBe(true);
  });
});
