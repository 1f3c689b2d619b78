import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GMAIL_ALL_MAIL, GMAIL_SENT, startFakeGmail, type FakeGmail, type GmailMessage } from '../harness/fake-gmail.ts';
import type { TestApp } from '../support/app.ts';
import { signInMember } from '../support/api.ts';
import { insertServerMailbox } from '../support/rows.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'sales.team@gmail.test';
const PASS = 'app-password-16ch';

/** A message with no In-Reply-To or References: only Gmail's X-GM-THRID can put it in a conversation. */
function mail(n: number, from: string, subject: string): string {
  return [
    `From: ${from}`,
    `To: ${USER}`,
    `Subject: ${subject}`,
    `Message-ID: <gm-${n}@mail.gmail.test>`,
    `Date: Mon, 2 Nov 2026 0${n % 10}:00:00 +0000`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of message ${n}.`,
    '',
  ].join('\r\n');
}

const QUOTE: GmailMessage = {
  raw: mail(1, 'Li Wei <li.wei@customer.test>', 'Quote for 200 units'),
  msgId: '1790000000000000001',
  threadId: '1790000000000000001',
  flags: ['\\Seen'],
  labels: ['Customers'],
};
// Same Gmail conversation, a different subject, no reply headers: threaded by X-GM-THRID alone.
const FOLLOW_UP: GmailMessage = {
  raw: mail(2, 'Li Wei <li.wei@customer.test>', 'Revised volumes'),
  msgId: '1790000000000000002',
  threadId: '1790000000000000001',
};
const OFFER: GmailMessage = {
  raw: mail(3, `Sales <${USER}>`, 'Our offer'),
  msgId: '1790000000000000003',
  threadId: '1790000000000000003',
  flags: ['\\Seen'],
  labels: ['\\Important', 'Deals/2026', '\\Starred'],
};
// Sent to ourselves: Gmail shows it in the Inbox and in Sent Mail, one message with one X-GM-MSGID.
const NOTE_TO_SELF: GmailMessage = {
  raw: mail(4, `Sales <${USER}>`, 'Reminder: call Li Wei'),
  msgId: '1790000000000000004',
  threadId: '1790000000000000004',
  flags: ['\\Seen'],
};
// Archived: out of the Inbox, only in All Mail.
const ARCHIVED: GmailMessage = {
  raw: mail(6, 'Zhang Min <zhang.min@customer.test>', 'Invoice 2026-017'),
  msgId: '1790000000000000006',
  threadId: '1790000000000000006',
  flags: ['\\Seen'],
};
const ALL = [QUOTE, FOLLOW_UP, OFFER, NOTE_TO_SELF, ARCHIVED];

describe.each(['postgres'] as const)('a Gmail mailbox (X-GM-EXT-1) on %s', (kind) => {
  let env: SyncEnv;
  let gmail: FakeGmail;
  let mailboxId: string;

  beforeAll(async () => {
    env = await startSyncEnv(kind);
    gmail = await startFakeGmail({
      user: USER,
      password: PASS,
      inbox: [QUOTE, FOLLOW_UP, NOTE_TO_SELF],
      sent: [OFFER, NOTE_TO_SELF],
      archived: [ARCHIVED],
    });
    mailboxId = await insertServerMailbox(
      env.db.db,
      env.services.vault,
      { imapsPort: gmail.port, certPem: gmail.certPem },
      { ownerUserId: env.adminId, email: USER, password: PASS },
    );
    env.supervisor().start();
    await waitFor(
      'the first import',
      async () => {
        const folders = await env.db.db
          .selectFrom('mail_folders')
          .select(['selected', 'cursor'])
          .where('mailbox_id', '=', mailboxId)
          .execute();
        return folders.some((f) => f.selected) && folders.every((f) => !f.selected || f.cursor !== null);
      },
      30_000,
    );
  }, 60_000);
  afterAll(async () => {
    await env?.close();
    await gmail?.close();
  });

  const byGmailId = async () => {
    const rows = await env.db.db
      .selectFrom('messages')
      .select(['id', 'stable_id', 'gmail_thread_id', 'thread_id', 'subject', 'seen', 'labels'])
      .where('mailbox_id', '=', mailboxId)
      .execute();
    return new Map(rows.map((r) => [r.stable_id, r]));
  };

  it('syncs the Inbox, Sent Mail and All Mail by default: archived mail too, each message stored once with its folders', async () => {
    const folders = await env.db.db
      .selectFrom('mail_folders')
      .select(['id', 'remote_id', 'role', 'selected'])
      .where('mailbox_id', '=', mailboxId)
      .execute();
    expect(
      folders
        .filter((f) => f.selected)
        .map((f) => f.remote_id)
        .sort(),
    ).toEqual([GMAIL_ALL_MAIL, GMAIL_SENT, 'INBOX'].sort());
    expect(folders.find((f) => f.remote_id === GMAIL_ALL_MAIL)?.role).toBe('all');

    const messages = await byGmailId();
    expect([...messages.keys()].sort()).toEqual(ALL.map((m) => m.msgId).sort());
    expect(await countMessages(env, mailboxId)).toBe(ALL.length);
    const foldersOf = async (msgId: string) => {
      const rows = await env.db.db
        .selectFrom('message_folders')
        .select('folder_id')
        .where('message_id', '=', messages.get(msgId)!.id)
        .execute();
      return rows.map((m) => folders.find((f) => f.id === m.folder_id)!.remote_id).sort();
    };
    expect(await foldersOf(NOTE_TO_SELF.msgId)).toEqual([GMAIL_ALL_MAIL, GMAIL_SENT, 'INBOX'].sort());
    expect(await foldersOf(QUOTE.msgId)).toEqual([GMAIL_ALL_MAIL, 'INBOX'].sort());
    expect(await foldersOf(ARCHIVED.msgId)).toEqual([GMAIL_ALL_MAIL]);
  });

  it("threads by Gmail's conversation id and keeps the flags", async () => {
    const messages = await byGmailId();
    const quote = messages.get(QUOTE.msgId)!;
    const followUp = messages.get(FOLLOW_UP.msgId)!;
    expect(quote.gmail_thread_id).toBe(QUOTE.threadId);
    expect(followUp.thread_id).toBe(quote.thread_id);
    expect(messages.get(OFFER.msgId)!.thread_id).not.toBe(quote.thread_id);
    expect(quote.seen).toBe(true);
    expect(followUp.seen).toBe(false);
  });

  it('takes new mail into its Gmail conversation, and sends "read" back to the server', async () => {
    const reply: GmailMessage = {
      raw: mail(5, 'Li Wei <li.wei@customer.test>', 'Signed order'),
      msgId: '1790000000000000005',
      threadId: QUOTE.threadId,
    };
    gmail.deliver(reply);
    const stored = await waitFor('the new message', async () => (await byGmailId()).get(reply.msgId), 20_000);
    expect(stored.thread_id).toBe((await byGmailId()).get(QUOTE.msgId)!.thread_id);
    // All Mail (polled) lists it too: the same message gains that folder, no second copy.
    await waitFor(
      'All Mail membership',
      async () =>
        (await env.db.db.selectFrom('message_folders').select('folder_id').where('message_id', '=', stored.id).execute()).length === 2,
      10_000,
    );
    expect(await countMessages(env, mailboxId)).toBe(ALL.length + 1);

    const res = await env.admin.patch(`/api/v1/messages/${stored.id}`, { seen: true });
    expect(res.statusCode).toBe(200);
    await waitFor('\\Seen on the server', async () => gmail.flagsOf('INBOX', reply.msgId)?.includes('\\Seen'), 10_000);
  });

  const labelsOf = async (msgId: string) => (await byGmailId()).get(msgId)!.labels;

  it('stores Gmail labels per message: user labels and \\Important, not the system labels that repeat folders and flags', async () => {
    expect(await labelsOf(QUOTE.msgId)).toEqual(['Customers']);
    // Listed in Sent Mail and All Mail, labelled there "\\Important Deals/2026 \\Starred" (plus \\Sent outside Sent Mail).
    expect(await labelsOf(OFFER.msgId)).toEqual(['Deals/2026', '\\Important']);
    expect(await labelsOf(NOTE_TO_SELF.msgId)).toEqual([]);
    const res = await env.admin.get(`/api/v1/messages?mailboxId=${mailboxId}`);
    expect(res.statusCode).toBe(200);
    const quote = res.data.items.find((m: { subject: string }) => m.subject === 'Quote for 200 units');
    expect(quote.labels).toEqual(['Customers']);
    const detail = await env.admin.get(`/api/v1/messages/${quote.id}`);
    expect(detail.data.labels).toEqual(['Customers']);
  });

  it('follows label changes made in Gmail: a new label arrives, a removed one disappears', async () => {
    const quoteId = (await byGmailId()).get(QUOTE.msgId)!.id;
    const updated = new Promise<void>((resolve) => {
      const off = env.services.events.on('message.updated', (e) => {
        if (e.messageId !== quoteId) return;
        off();
        resolve();
      });
    });
    gmail.setLabels(QUOTE.msgId, ['Customers', 'Big Deals']);
    await waitFor('the added label', async () => (await labelsOf(QUOTE.msgId)).includes('Big Deals'), 15_000);
    expect(await labelsOf(QUOTE.msgId)).toEqual(['Big Deals', 'Customers']);
    await updated; // the inbox hears of it like a flag change

    gmail.setLabels(QUOTE.msgId, ['Big Deals']);
    await waitFor('the removed label gone', async () => !(await labelsOf(QUOTE.msgId)).includes('Customers'), 15_000);
    expect(await labelsOf(QUOTE.msgId)).toEqual(['Big Deals']);
    // A poll round later (pollMs 1 s) nothing flips back: every folder reports the same labels.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await labelsOf(QUOTE.msgId)).toEqual(['Big Deals']);
  });

  it('finds mail by label: a label: search term and the messages list filter', async () => {
    const subjects = (items: Array<{ subject: string }>) => items.map((i) => i.subject).sort();
    for (const q of ['label:big-deals', 'label:"Big Deals"', 'LABEL:Big-Deals quote']) {
      const res = await env.admin.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      expect(subjects(res.data.items), q).toEqual(['Quote for 200 units']);
      expect(res.data.query.labels, q).toEqual(['big-deals']);
    }
    expect((await env.admin.get(`/api/v1/search?q=${encodeURIComponent('label:big-deals offer')}`)).data.items).toEqual([]);
    const important = await env.admin.get(`/api/v1/search?q=${encodeURIComponent('label:important')}`);
    expect(subjects(important.data.items)).toEqual(['Our offer']);
    const listed = await env.admin.get(`/api/v1/messages?label=${encodeURIComponent('Deals/2026')}`);
    expect(subjects(listed.data.items)).toEqual(['Our offer']);
    const unified = await env.admin.get(`/api/v1/mail/messages?label=${encodeURIComponent('big deals')}`);
    expect(subjects(unified.data.items)).toEqual(['Quote for 200 units']);
  });

  it('shows labels only to readers of the whole mailbox, like folder names', async () => {
    await env.db.db.updateTable('mailboxes').set({ visibility: 'subject_only' }).where('id', '=', mailboxId).execute();
    const reader = (await signInMember({ app: env.app } as TestApp, env.admin, 'reader@example.test', 'Subject Reader')).client;
    const listed = await reader.get(`/api/v1/messages?mailboxId=${mailboxId}`);
    expect(listed.statusCode).toBe(200);
    const quote = listed.data.items.find((m: { subject: string }) => m.subject === 'Quote for 200 units');
    expect(quote).toBeDefined();
    expect(listed.data.items.every((m: { labels: string[] }) => m.labels.length === 0)).toBe(true);
    expect((await reader.get(`/api/v1/messages/${quote.id}`)).data.labels).toEqual([]);
    // Nor can the reader find out which mail carries a label.
    expect((await reader.get(`/api/v1/search?q=${encodeURIComponent('label:big-deals')}`)).data.items).toEqual([]);
    expect((await reader.get(`/api/v1/search?q=${encodeURIComponent('quote label:big-deals')}`)).data.items).toEqual([]);
    expect((await reader.get(`/api/v1/messages?label=${encodeURIComponent('Big Deals')}`)).data.items).toEqual([]);
    // The owner still does.
    expect((await env.admin.get(`/api/v1/messages/${quote.id}`)).data.labels).toEqual(['Big Deals']);
  });
});
