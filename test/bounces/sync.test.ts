import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/app.ts';
import { signInMember } from '../support/api.ts';
import { databaseKinds } from '../support/database.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'ann@example.test';
const PASS = 'ann-password-1';
const fixtures = path.join(import.meta.dirname, '../../src/bounces/fixtures');

/** Postfix's report (fixture) about `messageId`, for `recipient`. */
function postfixReport(messageId: string, recipient: string, reportId: string): string {
  return fs
    .readFileSync(path.join(fixtures, 'postfix-failed.eml'), 'utf8')
    .replaceAll('<quote-200@tidings.test>', messageId)
    .replaceAll('nobody@customer.example', recipient)
    .replaceAll('Nobody@Customer.example', recipient)
    .replace('<20261103081402.7B1C3E0F12@mx1.tidings.test>', reportId);
}

function sentMail(messageId: string, to: string, subject: string, date: string): string {
  return [
    `From: Ann Lee <${USER}>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello.',
    '',
  ].join('\r\n');
}

type Snapshot = { bounces: unknown[]; emails: unknown[] };

// The real Dovecot, sync engine and bus: a DSN in INBOX about a message in Sent is linked to it, marks the
// address bouncing on the contact, and the API shows both; syncing it all again changes nothing.
describe.each(databaseKinds)('bounces linked on sync (%s)', (kind) => {
  let env: SyncEnv;
  let mailboxId: string;
  let contactId: string;
  let member: Client;
  let outboxId: string;
  const ids: Record<string, string> = {};

  const messageIdOf = async (header: string) =>
    (await env.db.db.selectFrom('messages').select('id').where('message_id_header', '=', header).executeTakeFirstOrThrow()).id;
  const snapshot = async (): Promise<Snapshot> => ({
    bounces: await env.db.db
      .selectFrom('message_bounces')
      .select(['id', 'report_message_id', 'original_message_id', 'outbox_id', 'recipient', 'action', 'status', 'diagnostic', 'reported_at'])
      .orderBy('id')
      .execute(),
    emails: await env.db.db.selectFrom('contact_emails').select(['address', 'bouncing_at', 'bounce_reason']).orderBy('address').execute(),
  });

  beforeAll(async () => {
    env = await startSyncEnv(kind);
    mailboxId = await env.bindMailbox(USER, PASS);
    await env.dovecot.createFolder(USER, 'Sent', '\\Sent');
    await env.db.db
      .updateTable('mailboxes')
      .set({ sync_folders: JSON.stringify(['INBOX', 'Sent']) })
      .where('id', '=', mailboxId)
      .execute();
    const created = await env.admin.post('/api/v1/contacts', {
      name: 'Nobody Home',
      emails: ['nobody@customer.example', 'desk@customer.example'],
    });
    expect(created.statusCode).toBe(201);
    contactId = created.data.contact.id;
    await env.admin.post('/api/v1/contacts', { name: 'Outbox Person', emails: ['queued@customer.example'] });
    // An outbox row (as the compose API makes it): its Message-ID was minted when it was queued.
    outboxId = (
      await sql<{ id: string }>`insert into outbox_messages (mailbox_id, created_by, state, message_id_header, "from", "to")
        values (${mailboxId}, ${env.adminId}, 'sent', '<outbox-1@example.test>', ${JSON.stringify({ name: 'Ann', address: USER })}::jsonb,
          ${JSON.stringify([{ name: null, address: 'queued@customer.example' }])}::jsonb)
        returning id`.execute(env.db.db)
    ).rows[0]!.id;
    member = (await signInMember(env as never, env.admin, 'mia@example.com', 'Mia Member')).client;

    await env.dovecot.append(
      USER,
      'Sent',
      sentMail('<quote-200@example.test>', 'nobody@customer.example', 'Quote for 200 units', 'Tue, 3 Nov 2026 09:14:00 +0100'),
    );
    await env.dovecot.append(
      USER,
      'INBOX',
      postfixReport('<quote-200@example.test>', 'nobody@customer.example', '<dsn-1@mx1.example.test>'),
    );
    // A report about a message nobody stored here (sent from another mailbox, or deleted).
    await env.dovecot.append(USER, 'INBOX', fs.readFileSync(path.join(fixtures, 'exim.eml'), 'utf8'));
    // A report naming an outbox row's Message-ID (no Sent copy synced).
    await env.dovecot.append(
      USER,
      'INBOX',
      postfixReport('<outbox-1@example.test>', 'queued@customer.example', '<dsn-2@mx1.example.test>'),
    );
    // A plain message from a machine address that is no report: read, found not a DSN, nothing stored.
    await env.dovecot.append(
      USER,
      'INBOX',
      sentMail('<notice@example.test>', USER, 'Mail delivery notice', 'Wed, 4 Nov 2026 09:00:00 +0000').replace(
        `From: Ann Lee <${USER}>`,
        'From: postmaster@example.test',
      ),
    );
    env.supervisor().start();
    await waitFor('import', async () => (await countMessages(env, mailboxId)) === 5);
    await waitFor('reports read', async () => {
      await env.services.bounces.idle();
      const n = await env.db.db
        .selectFrom('message_bounces')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n.n) === 3;
    });
    ids.sent = await messageIdOf('<quote-200@example.test>');
    ids.dsn = await messageIdOf('<dsn-1@mx1.example.test>');
    ids.exim = await messageIdOf('<E1tQx8c-00071K-2n@relay.tidings.test>');
    ids.outboxDsn = await messageIdOf('<dsn-2@mx1.example.test>');
  });
  afterAll(async () => env?.close());

  it('links the report to the Sent message and marks the address bouncing', async () => {
    const line = await env.db.db
      .selectFrom('message_bounces')
      .selectAll()
      .where('report_message_id', '=', ids.dsn)
      .executeTakeFirstOrThrow();
    expect(line).toMatchObject({
      original_message_id: ids.sent,
      original_message_id_header: '<quote-200@example.test>',
      outbox_id: null,
      recipient: 'nobody@customer.example',
      action: 'failed',
      status: '5.1.1',
    });
    const email = await env.db.db
      .selectFrom('contact_emails')
      .selectAll()
      .where('address', '=', 'nobody@customer.example')
      .executeTakeFirstOrThrow();
    expect(email.bouncing_at).not.toBeNull();
    expect(email.bounce_reason).toContain('550 5.1.1');
    const other = await env.db.db
      .selectFrom('contact_emails')
      .selectAll()
      .where('address', '=', 'desk@customer.example')
      .executeTakeFirstOrThrow();
    expect(other.bouncing_at).toBeNull();
  });

  it('stores a report about an unknown message unlinked, and links one naming an outbox row to it', async () => {
    const unknown = await env.db.db
      .selectFrom('message_bounces')
      .selectAll()
      .where('report_message_id', '=', ids.exim)
      .executeTakeFirstOrThrow();
    expect(unknown).toMatchObject({
      original_message_id: null,
      outbox_id: null,
      original_message_id_header: '<samples.1762336963@tidings.test>',
      recipient: 'sales@gone.example',
    });
    const queued = await env.db.db
      .selectFrom('message_bounces')
      .selectAll()
      .where('report_message_id', '=', ids.outboxDsn)
      .executeTakeFirstOrThrow();
    expect(queued).toMatchObject({ outbox_id: outboxId, original_message_id: null, recipient: 'queued@customer.example' });
  });

  it('shows the bounce on the message, the original on the report, and the mark on the contact', async () => {
    const sent = await env.admin.get(`/api/v1/messages/${ids.sent}`);
    expect(sent.statusCode).toBe(200);
    expect(sent.data.bounces).toEqual([
      {
        recipient: 'nobody@customer.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown in virtual mailbox table',
        reportedAt: '2026-11-03T08:14:01.000Z',
        reportMessageId: ids.dsn,
      },
    ]);
    expect(sent.data.bounceOf).toBeNull();
    const dsn = await env.admin.get(`/api/v1/messages/${ids.dsn}`);
    expect(dsn.data.bounceOf).toMatchObject({ messageId: ids.sent, subject: 'Quote for 200 units' });
    expect(dsn.data.bounceOf.recipients.map((r: { recipient: string }) => r.recipient)).toEqual(['nobody@customer.example']);
    expect(dsn.data.bounces).toEqual([]);
    const exim = await env.admin.get(`/api/v1/messages/${ids.exim}`);
    expect(exim.data.bounceOf).toMatchObject({ messageId: null, subject: null });

    const contact = await env.admin.get(`/api/v1/contacts/${contactId}`);
    const byAddress = Object.fromEntries(contact.data.contact.emails.map((e: { address: string }) => [e.address, e]));
    expect(byAddress['nobody@customer.example']).toMatchObject({ bounceReason: expect.stringContaining('550 5.1.1') });
    expect(byAddress['nobody@customer.example'].bouncingAt).toMatch(/^2026-11-03T/);
    expect(byAddress['desk@customer.example']).toMatchObject({ bouncingAt: null, bounceReason: null });
    const list = await env.admin.get('/api/v1/contacts?q=Nobody');
    expect(list.data.items[0].emails.find((e: { address: string }) => e.address === 'nobody@customer.example').bouncingAt).not.toBeNull();
  });

  it('shows bounce facts only to readers of the mailbox', async () => {
    // Private mailbox: the member sees the contact, not that mail to it bounced.
    const contact = await member.get(`/api/v1/contacts/${contactId}`);
    expect(contact.statusCode).toBe(200);
    for (const e of contact.data.contact.emails) expect(e).toMatchObject({ bouncingAt: null, bounceReason: null });
    expect((await member.get(`/api/v1/messages/${ids.sent}`)).statusCode).toBe(404);
    // Subjects shared: the message, without the servers' answers.
    await env.db.db.updateTable('mailboxes').set({ visibility: 'subject_only' }).where('id', '=', mailboxId).execute();
    try {
      const sent = await member.get(`/api/v1/messages/${ids.sent}`);
      expect(sent.statusCode).toBe(200);
      expect(sent.data).toMatchObject({ bounces: [], bounceOf: null });
      expect((await member.get(`/api/v1/contacts/${contactId}`)).data.contact.emails[0].bouncingAt).toBeNull();
    } finally {
      await env.db.db.updateTable('mailboxes').set({ visibility: 'private' }).where('id', '=', mailboxId).execute();
    }
  });

  it('changes nothing when the same mail is synced and announced again', async () => {
    const before = await snapshot();
    // As if the server had recreated both folders: the next round lists and fetches every message again.
    await env.db.db
      .updateTable('mail_folders')
      .set({ cursor: JSON.stringify({ uidValidity: '1', uidNext: '1', highestModseq: null, total: 0 }) })
      .where('mailbox_id', '=', mailboxId)
      .where('selected', '=', true)
      .execute();
    expect((await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { displayName: 'Ann again' })).statusCode).toBe(200);
    await waitFor('second sync', async () =>
      (
        await env.db.db
          .selectFrom('mail_folders')
          .select('cursor')
          .where('mailbox_id', '=', mailboxId)
          .where('selected', '=', true)
          .execute()
      ).every((f) => (f.cursor as { uidValidity: string } | null)?.uidValidity !== '1'),
    );
    // And every message announced once more, as a crash between store and announce would.
    const all = await env.db.db.selectFrom('messages').select('id').where('mailbox_id', '=', mailboxId).execute();
    for (const m of all) env.services.events.emit('message.created', { mailboxId, messageId: m.id });
    await env.services.bounces.idle();
    expect(await snapshot()).toEqual(before);
    expect(await countMessages(env, mailboxId)).toBe(5);
  });

  it('a later message from the address clears its mark', async () => {
    await env.dovecot.append(
      USER,
      'INBOX',
      sentMail('<back@customer.example>', USER, 'I am back', new Date().toUTCString()).replace(
        `From: Ann Lee <${USER}>`,
        'From: Nobody Home <nobody@customer.example>',
      ),
    );
    await env.services.sync!.refresh();
    await waitFor('mark cleared', async () => {
      await env.services.bounces.idle();
      const e = await env.db.db
        .selectFrom('contact_emails')
        .select('bouncing_at')
        .where('address', '=', 'nobody@customer.example')
        .executeTakeFirstOrThrow();
      return e.bouncing_at === null;
    });
    const contact = await env.admin.get(`/api/v1/contacts/${contactId}`);
    for (const e of contact.data.contact.emails) expect(e).toMatchObject({ bouncingAt: null, bounceReason: null });
    // The report stays on the message: the mark is what cleared.
    expect((await env.admin.get(`/api/v1/messages/${ids.sent}`)).data.bounces).toHaveLength(1);
  });
});
