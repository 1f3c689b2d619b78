import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/app.ts';
import { expectProblem } from '../support/api.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../../src/dropbox/fixtures', name));
const DROP_BOX = 'log@tidings.test';

async function member(env: SyncEnv, email: string, name: string): Promise<{ client: Client; id: string }> {
  const created = await env.admin.post('/api/v1/users', { email, name, role: 'member', password: 'member password 123' });
  expect(created.statusCode).toBe(201);
  const client = new Client(env.app);
  expect((await client.post('/api/v1/auth/login', { email, password: 'member password 123' })).statusCode).toBe(200);
  return { client, id: created.data.user.id };
}

// Real Dovecot and sync engine: a salesperson whose mailbox is not bound forwards a customer's mail to the drop box.
describe('logging drop box (Dovecot)', () => {
  let env: SyncEnv;
  let mailboxId: string;
  let alice: { client: Client; id: string };
  let other: { client: Client; id: string };
  let contactId: string;

  const timeline = async (c: Client) => {
    const tl = await c.get(`/api/v1/contacts/${contactId}/timeline`);
    expect(tl.statusCode).toBe(200);
    return tl.data.items.filter((i: { kind: string }) => i.kind === 'email').map((i: { email: Record<string, unknown> }) => i.email);
  };

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    // The drop box is the admin's, private: Alice sees what she logged only because she logged it.
    mailboxId = await env.bindMailbox(DROP_BOX, 'log-password-1', { visibility: 'private' });
    alice = await member(env, 'alice@tidings.test', 'Alice Sales');
    other = await member(env, 'carol@tidings.test', 'Carol Colleague');
    const c = await env.admin.post('/api/v1/contacts', { name: '张伟', emails: ['zhang.wei@customer.cn'] });
    expect(c.statusCode).toBe(201);
    contactId = c.data.contact.id;
  });
  afterAll(async () => env?.close());

  it('is switched on by an admin through PATCH and shown on the mailbox', async () => {
    const patched = await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { dropBox: true });
    expect(patched.statusCode).toBe(200);
    expect(patched.data.mailbox.dropBox).toBe(true);
    const list = await env.admin.get('/api/v1/mailboxes');
    expect(list.data.items.find((m: { id: string }) => m.id === mailboxId).dropBox).toBe(true);
    expectProblem(await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { dropBox: 'yes' }), 400, 'validation_failed');
  });

  it('lands a QQ Mail inline forward on the contact timeline as the original, attributed to the forwarder', async () => {
    await env.dovecot.append(DROP_BOX, 'INBOX', fixture('qq-mail-inline.eml'));
    env.supervisor().start();
    await waitFor('drop box import', async () => (await countMessages(env, mailboxId)) === 1);
    await waitFor('linked', async () => {
      await env.services.linker.idle();
      return (await timeline(alice.client)).length === 1;
    });
    const [email] = await timeline(alice.client);
    expect(email).toMatchObject({
      subject: '报价确认',
      from: [{ name: '张伟', address: 'zhang.wei@customer.cn' }],
      date: '2026-12-01T02:05:00.000Z',
      loggedByUserId: alice.id,
      access: 'full',
    });
    const detail = await alice.client.get(`/api/v1/messages/${email.id}`);
    expect(detail.data.text).toContain('We accept the quote for 200 units');
    expect(detail.data.text).not.toContain('请记录一下');
    // Nobody else sees a private drop box's mail: not on the timeline, not by id.
    expect(await timeline(other.client)).toEqual([]);
    expect((await other.client.get(`/api/v1/messages/${email.id}`)).statusCode).toBe(404);
  });

  it('stores the same original once, whether forwarded again inline or as an attachment', async () => {
    await env.dovecot.append(DROP_BOX, 'INBOX', fixture('outlook-attachment.eml'));
    await env.dovecot.append(DROP_BOX, 'INBOX', fixture('gmail-inline.eml'));
    await waitFor('three forwards stored', async () => {
      const folders = await env.db.db
        .selectFrom('message_folders')
        .innerJoin('messages', 'messages.id', 'message_folders.message_id')
        .select('message_folders.remote_id')
        .where('messages.mailbox_id', '=', mailboxId)
        .execute();
      return folders.length === 3;
    });
    await env.services.linker.idle();
    expect(await countMessages(env, mailboxId)).toBe(1);
    expect(await timeline(alice.client)).toHaveLength(1);
  });

  it("keeps mail BCC'd by a user as it is, and attributes it", async () => {
    await env.dovecot.append(DROP_BOX, 'INBOX', fixture('bcc.eml'));
    await waitFor('linked', async () => {
      await env.services.linker.idle();
      return (await timeline(alice.client)).length === 2;
    });
    const [bcc] = await timeline(alice.client);
    expect(bcc).toMatchObject({ subject: 'Re: quote', loggedByUserId: alice.id, from: [{ address: 'alice@tidings.test' }] });
  });

  it('keeps a stranger’s forward as it is, unwrapped and unattributed', async () => {
    const forged = fixture('gmail-inline.eml')
      .toString('latin1')
      .replace('From: Alice Sales <alice@tidings.test>', 'From: Mallory <mallory@elsewhere.test>')
      .replace('Message-ID: <wrap-', 'Message-ID: <forged-');
    await env.dovecot.append(DROP_BOX, 'INBOX', Buffer.from(forged, 'latin1'));
    await waitFor('stored', async () => (await countMessages(env, mailboxId)) === 3);
    const rows = await env.db.db.selectFrom('messages').select(['logged_by_user_id', 'from']).where('mailbox_id', '=', mailboxId).execute();
    const stranger = rows.find((r) => r.from[0]?.address === 'mallory@elsewhere.test');
    expect(stranger).toBeDefined();
    expect(stranger?.logged_by_user_id).toBeNull();
  });
});
