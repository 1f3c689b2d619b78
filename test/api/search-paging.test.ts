import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { insertMailbox } from '../support/rows.ts';

interface Spec {
  subject: string;
  text: string;
  /** null: a message without a date. */
  date: Date | null;
  attachment?: string;
}

const BASE = Date.parse('2026-10-01T00:00:00Z');
/** Five messages share each minute, so keyset ties on the date are everywhere. */
const minute = (n: number) => new Date(BASE + Math.floor(n / 5) * 60_000);

describe.each(databaseKinds)('search paging on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let bob: { client: Client; id: string };
  let adminId: string;
  const box: Record<'shared' | 'subject' | 'metadata' | 'private', string> = { shared: '', subject: '', metadata: '', private: '' };
  /** Every message matching "invoice" for its owner, and the ones Bob may find. */
  const forAdmin = new Set<string>();
  const forBob = new Set<string>();
  const db = () => t.db.db;

  /** Rows as the sync engine stores them, many at once (the linker is not needed here). */
  async function insert(mailboxId: string, specs: Spec[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < specs.length; i += 100) {
      const rows = await db()
        .insertInto('messages')
        .values(
          specs.slice(i, i + 100).map((s) => ({
            mailbox_id: mailboxId,
            subject: s.subject,
            date: s.date,
            from: JSON.stringify([{ name: 'Li', address: 'li@acme.com' }]),
            to: JSON.stringify([{ name: null, address: 'ada@ourco.com' }]),
            cc: '[]',
            bcc: '[]',
            reply_to: '[]',
            participants: ['li@acme.com', 'ada@ourco.com'],
            text_body: s.text,
            snippet: s.text.slice(0, 100),
            raw_sha256: randomUUID(),
            has_attachments: !!s.attachment,
          })),
        )
        .returning('id')
        .execute();
      const batch = specs.slice(i, i + 100);
      const atts = rows.flatMap((r, j) =>
        batch[j]!.attachment
          ? [
              {
                message_id: r.id,
                position: 0,
                filename: batch[j]!.attachment!,
                content_type: 'application/pdf',
                size: 1,
                sha256: randomUUID(),
              },
            ]
          : [],
      );
      if (atts.length) await db().insertInto('attachments').values(atts).execute();
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  }

  async function allEmailPages(
    client: Client,
    url: string,
    between?: (page: number) => Promise<void>,
  ): Promise<{ ids: string[]; items: any[]; pages: number }> {
    const items: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await client.get(`${url}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(Object.keys(res.data).sort()).toEqual(['items', 'nextCursor', 'query']);
      expect(res.data.items.every((e: any) => e.type === 'emails')).toBe(true);
      items.push(...res.data.items);
      cursor = res.data.nextCursor;
      pages++;
      await between?.(pages);
    } while (cursor && pages < 500);
    return { ids: items.map((e) => e.id), items, pages };
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    adminId = (await db().selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    bob = await signInMember(t, admin, 'bob@ourco.com', 'Bob');
    box.shared = await insertMailbox(db(), adminId, 'ada@ourco.com', { visibility: 'share_all' });
    box.subject = await insertMailbox(db(), adminId, 'ada2@ourco.com', { visibility: 'subject_only' });
    box.metadata = await insertMailbox(db(), adminId, 'ada3@ourco.com', { visibility: 'metadata_only' });
    box.private = await insertMailbox(db(), adminId, 'ada4@ourco.com', { visibility: 'private' });

    // Shared: 260 matches in subject or body (some without a date), 130 only by an attachment's name
    // (so both candidate lists fill up more than once), and mail that does not match at all.
    const shared: Spec[] = [];
    for (let n = 0; n < 260; n++)
      shared.push({
        subject: n % 2 ? `Invoice ${n}` : `Order ${n}`,
        text: n % 2 ? `see ${n}` : `the invoice for order ${n}`,
        date: n % 37 === 0 ? null : minute(n),
      });
    for (let n = 0; n < 130; n++)
      shared.push({ subject: `Scan ${n}`, text: 'see the file', date: minute(n * 2 + 1), attachment: `invoice-scan-${n}.pdf` });
    const sharedIds = await insert(box.shared, shared);
    await insert(
      box.shared,
      Array.from({ length: 40 }, (_, n) => ({ subject: `Lunch ${n}`, text: 'see you', date: minute(n) })),
    );
    sharedIds.forEach((id) => {
      forAdmin.add(id);
      forBob.add(id);
    });

    // Subject-only: Bob finds the subject matches, never the body-only ones.
    const subjectHits = await insert(
      box.subject,
      Array.from({ length: 25 }, (_, n) => ({ subject: `Invoice plan ${n}`, text: 'quarterly', date: minute(n * 3) })),
    );
    const bodyOnly = await insert(
      box.subject,
      Array.from({ length: 30 }, (_, n) => ({ subject: `Plan ${n}`, text: `secret invoice ${n}`, date: minute(n * 3 + 1) })),
    );
    for (const id of subjectHits) {
      forAdmin.add(id);
      forBob.add(id);
    }
    for (const id of bodyOnly) forAdmin.add(id);
    // Metadata-only and private: nothing for Bob (a subject he may not read cannot match).
    const boardIds = await insert(
      box.metadata,
      Array.from({ length: 20 }, (_, n) => ({ subject: `Invoice board ${n}`, text: 'invoice', date: minute(n * 4) })),
    );
    const privateIds = await insert(
      box.private,
      Array.from({ length: 20 }, (_, n) => ({ subject: `Invoice private ${n}`, text: 'invoice', date: minute(n * 5) })),
    );
    for (const id of [...boardIds, ...privateIds]) forAdmin.add(id);
  });
  afterAll(async () => t?.close());

  it('pages through every match once, across slices and date ties, for the owner', async () => {
    for (const limit of [50, 9]) {
      const { ids, pages } = await allEmailPages(admin, `/api/v1/search?q=invoice&types=emails&limit=${limit}`);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(forAdmin);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(forAdmin.size / limit));
    }
  });

  it('applies visibility on every page: a second user pages through only what he may see', async () => {
    const { ids, items } = await allEmailPages(bob.client, '/api/v1/search?q=invoice&types=emails&limit=20');
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(forBob);
    const fromSubjectOnly = items.filter((e) => e.mailboxId === box.subject);
    expect(fromSubjectOnly).toHaveLength(25);
    for (const e of fromSubjectOnly) {
      expect(e).toMatchObject({ access: 'subject', snippet: null });
      expect(e.highlight?.field).not.toBe('body');
    }
    expect(items.some((e) => e.mailboxId === box.metadata || e.mailboxId === box.private)).toBe(false);
  });

  it('reads visibility afresh for each page: a mailbox made private mid-way drops out of the following pages', async () => {
    try {
      const seen: any[] = [];
      let made = false;
      const { items } = await allEmailPages(bob.client, '/api/v1/search?q=invoice&types=emails&limit=25', async (page) => {
        if (page === 1) {
          await db().updateTable('mailboxes').set({ visibility: 'private' }).where('id', '=', box.subject).execute();
          made = true;
        }
      });
      seen.push(...items.slice(25));
      expect(made).toBe(true);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((e) => e.mailboxId === box.subject)).toBe(false);
    } finally {
      await db().updateTable('mailboxes').set({ visibility: 'subject_only' }).where('id', '=', box.subject).execute();
    }
  });

  it('stays exact while mail arrives: new mail (newest or old-dated into a slice already paged) neither repeats nor hides a match', async () => {
    const added: string[] = [];
    const { ids } = await allEmailPages(admin, '/api/v1/search?q=invoice&types=emails&limit=30', async (page) => {
      if (page === 2) {
        added.push(
          ...(await insert(box.shared, [
            { subject: 'Invoice brand new', text: 'x', date: new Date(BASE + 86_400_000) },
            { subject: 'Invoice old import', text: 'x', date: minute(255) },
            { subject: 'Invoice older import', text: 'x', date: minute(3) },
          ])),
        );
      }
    });
    try {
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of forAdmin) expect(ids).toContain(id);
      expect(ids.filter((id) => !forAdmin.has(id)).every((id) => added.includes(id))).toBe(true);
    } finally {
      await db().deleteFrom('messages').where('id', 'in', added).execute();
    }
  });

  it('the first page is the most relevant of the newest matches, as before paging existed', async () => {
    const res = await admin.get('/api/v1/search?q=invoice&types=emails&limit=10');
    const ranks = res.data.items.map((e: any) => e.rank);
    expect([...ranks].sort((a: number, b: number) => b - a)).toEqual(ranks);
    // Subject matches outrank body- and attachment-only ones.
    expect(res.data.items.every((e: any) => /invoice/i.test(e.subject))).toBe(true);
  });

  it('pages contacts and companies by rank, name and id (ties on everything but the id)', async () => {
    for (let n = 0; n < 13; n++)
      expect((await admin.post('/api/v1/contacts', { name: '张伟', emails: [`zhang.wei${n}@acme.com`] })).statusCode).toBe(201);
    for (let n = 0; n < 12; n++)
      expect(
        (await admin.post('/api/v1/companies', { name: `Acme ${String.fromCharCode(65 + (n % 4))}`, domains: [`acme${n}.com`] }))
          .statusCode,
      ).toBe(201);
    for (const [type, q, total] of [
      ['contacts', '张伟', 13],
      ['companies', 'acme', 12],
    ] as const) {
      const got: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await admin.get(
          `/api/v1/search?q=${encodeURIComponent(q)}&types=${type}&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        expect(res.data.items.every((r: any) => r.type === type)).toBe(true);
        got.push(...res.data.items);
        cursor = res.data.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(Math.ceil(total / 5));
      expect(new Set(got.map((r) => r.id)).size).toBe(total);
    }
    // Without types every type answers, grouped in order; one cursor pages on the types that have more.
    const all = await admin.get('/api/v1/search?q=acme&limit=5');
    const typeOrder = ['contacts', 'companies', 'deals', 'emails'];
    const allTypes = all.data.items.map((i: any) => i.type);
    expect(allTypes).toEqual([...allTypes].sort((a: string, b: string) => typeOrder.indexOf(a) - typeOrder.indexOf(b)));
    expect(allTypes.filter((t: string) => t === 'companies')).toHaveLength(5);
    expect(all.data.nextCursor).toEqual(expect.any(String));
    const more = await admin.get(`/api/v1/search?q=acme&limit=5&cursor=${encodeURIComponent(all.data.nextCursor)}`);
    expect(more.statusCode, more.body).toBe(200);
    const moreCompanies = more.data.items.filter((i: any) => i.type === 'companies').map((i: any) => i.id);
    expect(moreCompanies).toHaveLength(5);
    for (const id of all.data.items.filter((i: any) => i.type === 'companies').map((i: any) => i.id))
      expect(moreCompanies).not.toContain(id);
    expect(more.data.items.some((i: any) => i.type === 'deals')).toBe(false);
  });

  it('refuses a cursor that is not one it gave out, or that belongs to another search or type', async () => {
    const first = await admin.get('/api/v1/search?q=invoice&types=emails&limit=5');
    const cursor = first.data.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const forged = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const [decoded] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    for (const bad of [
      '',
      'nope',
      '!!!',
      'x'.repeat(8001),
      forged({ t: 'emails' }),
      forged(decoded),
      forged([]),
      forged([1, 2]),
      forged([decoded, decoded]),
      forged([{ ...decoded, s: { d: 'yesterday', i: 'x' } }]),
      forged([{ ...decoded, p: { r: 'NaN', k: decoded.s } }]),
    ]) {
      expectProblem(await admin.get(`/api/v1/search?q=invoice&types=emails&cursor=${encodeURIComponent(bad)}`), 400, 'invalid_cursor');
    }
    // Another query, other filters, another type.
    expectProblem(await admin.get(`/api/v1/search?q=order&types=emails&cursor=${cursor}`), 400, 'invalid_cursor');
    expectProblem(await admin.get(`/api/v1/search?q=invoice&types=emails&unread=true&cursor=${cursor}`), 400, 'invalid_cursor');
    expectProblem(await admin.get(`/api/v1/search?q=invoice&types=contacts&cursor=${cursor}`), 400, 'invalid_cursor');
    expectProblem(await admin.get(`/api/v1/search?q=invoice&types=emails,contacts&cursor=${cursor}`), 400, 'invalid_cursor');
    // The same search with the cursor and no types: that type's next page only.
    const next = await admin.get(`/api/v1/search?q=invoice&cursor=${cursor}&limit=5`);
    expect(next.statusCode).toBe(200);
    expect(Object.keys(next.data).sort()).toEqual(['items', 'nextCursor', 'query']);
    expect(next.data.items.every((e: any) => e.type === 'emails')).toBe(true);
    expect(next.data.items.map((e: any) => e.id)).not.toContain(first.data.items[0].id);
  });
});
