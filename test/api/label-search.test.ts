import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { insertMailbox } from '../support/rows.ts';

const BASE = Date.parse('2026-10-01T00:00:00Z');

// Gmail labels as the sync engine stores them (test/sync/gmail.test.ts brings them from a Gmail server):
// found by `label:` and the list filter on both databases, through the label-key index, and only by
// readers of the whole mailbox.
describe.each(databaseKinds)('finding mail by Gmail label on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let bob: Client;
  const box = { shared: '', subject: '' };
  const bigDeals = new Set<string>();

  async function insert(mailboxId: string, n: number, labels: (i: number) => string[], subject: (i: number) => string): Promise<string[]> {
    const rows = await t.db.db
      .insertInto('messages')
      .values(
        Array.from({ length: n }, (_, i) => ({
          mailbox_id: mailboxId,
          subject: subject(i),
          date: new Date(BASE + Math.floor(i / 3) * 60_000),
          from: JSON.stringify([{ name: 'Li', address: 'li@acme.com' }]),
          to: '[]',
          cc: '[]',
          bcc: '[]',
          reply_to: '[]',
          participants: ['li@acme.com'],
          text_body: 'body',
          raw_sha256: randomUUID(),
          labels: labels(i),
        })),
      )
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async function emailPages(client: Client, url: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await client.get(`${url}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.data.items.every((e: { type: string }) => e.type === 'emails')).toBe(true);
      ids.push(...res.data.items.map((e: { id: string }) => e.id));
      cursor = res.data.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return ids;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    const adminId = (await t.db.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    bob = (await signInMember(t, admin, 'bob@ourco.com', 'Bob')).client;
    box.shared = await insertMailbox(t.db.db, adminId, 'ada@ourco.com', { visibility: 'share_all' });
    box.subject = await insertMailbox(t.db.db, adminId, 'ada2@ourco.com', { visibility: 'subject_only' });
    // 150 messages, every other one labelled "Big Deals" (more than a search slice), some also \Important.
    const ids = await insert(
      box.shared,
      150,
      (i) => [...(i % 2 ? ['Big Deals'] : ['Leads']), ...(i % 10 === 1 ? ['\\Important'] : [])],
      (i) => (i % 4 === 1 ? `Invoice ${i}` : `Order ${i}`),
    );
    for (const [i, id] of ids.entries()) if (i % 2) bigDeals.add(id);
    await insert(
      box.subject,
      10,
      () => ['Big Deals'],
      (i) => `Invoice hidden ${i}`,
    );
  });
  afterAll(async () => t?.close());

  it('a label: term alone pages through every message with the label, emails only', async () => {
    const ids = await emailPages(admin, `/api/v1/search?q=${encodeURIComponent('label:big-deals')}&limit=20`);
    // The owner sees the subject-only mailbox in full: its 10 are found too.
    expect(ids.length).toBe(bigDeals.size + 10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of bigDeals) expect(ids).toContain(id);
  });

  it('a label: term with words, a quoted label, \\Important as "important", and a label that no message has', async () => {
    const withWords = await emailPages(
      admin,
      `/api/v1/search?q=${encodeURIComponent('invoice label:"big deals"')}&mailboxId=${box.shared}&limit=50`,
    );
    expect(withWords.length).toBe(38); // i % 4 === 1: all odd, so all "Big Deals"
    const important = await emailPages(admin, `/api/v1/search?q=${encodeURIComponent('label:IMPORTANT')}&limit=50`);
    expect(important.length).toBe(15);
    expect(await emailPages(admin, `/api/v1/search?q=${encodeURIComponent('label:nothing-here')}&limit=50`)).toEqual([]);
    const both = await emailPages(admin, `/api/v1/search?q=${encodeURIComponent('label:important label:big-deals')}&limit=50`);
    expect(both.length).toBe(15);
  });

  it('the messages list filters by label, with labels in each summary', async () => {
    const res = await admin.get(`/api/v1/messages?label=${encodeURIComponent('Leads')}&limit=100`);
    expect(res.statusCode).toBe(200);
    expect(res.data.items.length).toBe(75);
    expect(res.data.items.every((m: { labels: string[] }) => m.labels.includes('Leads'))).toBe(true);
  });

  it('a reader of less than the whole mailbox neither sees nor finds labels', async () => {
    const found = await emailPages(bob, `/api/v1/search?q=${encodeURIComponent('label:big-deals')}&limit=50`);
    expect(found.length).toBe(bigDeals.size);
    const hidden = await bob.get(`/api/v1/messages?mailboxId=${box.subject}`);
    expect(hidden.data.items.length).toBe(10);
    expect(hidden.data.items.every((m: { labels: string[] }) => m.labels.length === 0)).toBe(true);
    expect((await bob.get(`/api/v1/messages?mailboxId=${box.subject}&label=${encodeURIComponent('Big Deals')}`)).data.items).toEqual([]);
    // Words still find the subject-only mail; with a label term they do not.
    expect((await emailPages(bob, `/api/v1/search?q=hidden&limit=50`)).length).toBe(10);
    expect(await emailPages(bob, `/api/v1/search?q=${encodeURIComponent('hidden label:big-deals')}&limit=50`)).toEqual([]);
  });

  it('finds a label written with full-width characters by its tag and by label:, as labelKey normalises (NFKC)', async () => {
    const [id] = await insert(
      box.shared,
      1,
      () => ['重要客户（VIP）', 'Ｃｕｓｔｏｍｅｒｓ'],
      () => 'Contract',
    );
    const byTag = await admin.get(`/api/v1/messages?label=${encodeURIComponent('重要客户（VIP）')}&limit=10`);
    expect(byTag.data.items.map((m: { id: string }) => m.id)).toEqual([id]);
    expect(await emailPages(admin, `/api/v1/search?q=${encodeURIComponent('label:重要客户(vip)')}&limit=10`)).toEqual([id]);
    expect(await emailPages(admin, `/api/v1/search?q=${encodeURIComponent('label:customers')}&limit=10`)).toEqual([id]);
  });

  // The label filter walks message_label_keys (migration 2026-12-12-020), kept by triggers beside each message.
  it('the label list pages newest first, and follows a message relabelled, redated or deleted', async () => {
    const listed = async (label: string): Promise<string[]> => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await admin.get(
          `/api/v1/messages?label=${encodeURIComponent(label)}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        ids.push(...res.data.items.map((m: { id: string }) => m.id));
        cursor = res.data.nextCursor;
      } while (cursor && ids.length < 1000);
      return ids;
    };
    const stored = async (label: string) =>
      (
        await t.db.db
          .selectFrom('messages')
          .select('id')
          .where(sql<boolean>`labels @> ${[label]}::text[]`)
          .orderBy('date', 'desc')
          .orderBy('id', 'desc')
          .execute()
      ).map((r) => r.id);
    expect(await listed('Leads')).toEqual(await stored('Leads'));
    const [moved] = [...bigDeals];
    await t.db.db
      .updateTable('messages')
      .set({ labels: ['Leads'] })
      .where('id', '=', moved!)
      .execute();
    const leads = await listed('Leads');
    expect(leads).toHaveLength(76);
    expect(leads).toEqual(await stored('Leads'));
    expect(await listed('Big Deals')).not.toContain(moved);
    await t.db.db
      .updateTable('messages')
      .set({ date: new Date(BASE + 86_400_000) })
      .where('id', '=', leads[40]!)
      .execute();
    expect((await listed('Leads'))[0]).toBe(leads[40]);
    await t.db.db.deleteFrom('messages').where('id', '=', leads[3]!).execute();
    expect(await listed('Leads')).toEqual(await stored('Leads'));
    expect(await listed('Leads')).toHaveLength(75);
  });
});
