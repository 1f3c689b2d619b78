import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordTimeline, type TimelineOf } from '../../src/timeline/index.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database.ts';
import { insertMailbox, insertUser } from '../support/rows.ts';

// Timelines walk a contact's or company's links in the order of the date each link carries, checking the
// mailbox each carries (message_links.message_at and mailbox_id, migration 2026-12-12-010): both must follow
// their message, and a message
// linked several times (to and cc, a company and its contacts) must be one item on every page.

describe.each(databaseKinds)('timeline order through the links on %s', (kind) => {
  let t: TestDatabase;
  let userId: string;
  let mailboxId: string;
  let acme: string;
  let li: string;
  let wang: string;
  const msg: Record<string, string> = {};
  const db = () => t.db;

  async function message(key: string, date: string | null) {
    const row = await db()
      .insertInto('messages')
      .values({
        mailbox_id: mailboxId,
        subject: key,
        date: date ? new Date(date) : null,
        raw_sha256: randomUUID(),
        from: JSON.stringify([{ name: null, address: 'li@acme.test' }]),
        to: JSON.stringify([{ name: null, address: 'me@ours.test' }]),
        cc: '[]',
        bcc: '[]',
        reply_to: '[]',
        participants: ['li@acme.test', 'me@ours.test'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    msg[key] = row.id;
  }
  const link = (key: string, target: { contact_id: string } | { company_id: string }, role: 'from' | 'to' | 'cc' = 'from') =>
    db()
      .insertInto('message_links')
      .values({ message_id: msg[key]!, contact_id: null, company_id: null, ...target, role })
      .execute();
  const keyOf = (id: string) => Object.entries(msg).find(([, v]) => v === id)?.[0];
  /** Every email of the timeline, page by page, as message keys. */
  async function emails(of: TimelineOf, limit = 2): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await readRecordTimeline(db(), userId, of, { cursor, limit });
      out.push(...page.items.filter((i) => i.kind === 'email').map((i) => keyOf(i.id)!));
      if (!page.nextCursor) return out;
      cursor = page.nextCursor;
    }
    throw new Error('the timeline never ended');
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    userId = await insertUser(db());
    mailboxId = await insertMailbox(db(), userId, 'me@ours.test');
    acme = (await db().insertInto('companies').values({ name: 'Acme', owner_user_id: userId }).returning('id').executeTakeFirstOrThrow())
      .id;
    const contact = async (name: string) =>
      (
        await db()
          .insertInto('contacts')
          .values({ name, owner_user_id: userId, company_id: acme })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    li = await contact('Li');
    wang = await contact('Wang');
    await message('m1', '2026-11-01T10:00:00Z');
    await message('m2', '2026-11-02T10:00:00Z');
    await message('m3', '2026-11-03T10:00:00Z');
    await message('m4', '2026-11-04T10:00:00Z');
    await message('m5', '2026-11-05T10:00:00Z');
    for (const k of ['m1', 'm2', 'm3', 'm4', 'm5']) await link(k, { company_id: acme });
    for (const k of ['m1', 'm3', 'm5']) await link(k, { contact_id: li });
    await link('m3', { contact_id: li }, 'cc');
    for (const k of ['m2', 'm3', 'm4']) await link(k, { contact_id: wang }, 'to');
  });
  afterAll(async () => t?.drop());

  it('lists a message linked several times once, newest first, across pages', async () => {
    expect(await emails({ kind: 'company', id: acme })).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    expect(await emails({ kind: 'company', id: acme }, 1)).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    expect(await emails({ kind: 'contact', id: li })).toEqual(['m5', 'm3', 'm1']);
    expect(await emails({ kind: 'contact', id: li }, 1)).toEqual(['m5', 'm3', 'm1']);
    expect(await emails({ kind: 'contact', id: wang })).toEqual(['m4', 'm3', 'm2']);
  });

  it("keeps a link's date with its message's: a redated message moves on every timeline", async () => {
    await db()
      .updateTable('messages')
      .set({ date: new Date('2026-12-01T10:00:00Z') })
      .where('id', '=', msg.m1!)
      .execute();
    const links = await db().selectFrom('message_links').select('message_at').where('message_id', '=', msg.m1!).execute();
    expect(links.map((l) => new Date(l.message_at).toISOString())).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.000Z']);
    expect(await emails({ kind: 'company', id: acme })).toEqual(['m1', 'm5', 'm4', 'm3', 'm2']);
    expect(await emails({ kind: 'contact', id: li })).toEqual(['m1', 'm5', 'm3']);
    // A change that leaves the date alone leaves the links alone.
    await db().updateTable('messages').set({ seen: true }).where('id', '=', msg.m1!).execute();
    expect(await emails({ kind: 'contact', id: li })).toEqual(['m1', 'm5', 'm3']);
  });

  it("keeps a link's mailbox with its message's: mail moved to a mailbox the reader cannot see leaves the timeline", async () => {
    const stranger = await insertUser(db(), { email: 'stranger@ours.test', name: 'Stranger', role: 'member' });
    const hidden = await insertMailbox(db(), stranger, 'hidden@ours.test', { visibility: 'private' });
    await db().updateTable('messages').set({ mailbox_id: hidden }).where('id', '=', msg.m5!).execute();
    const [row] = await db().selectFrom('message_links').select('mailbox_id').where('message_id', '=', msg.m5!).execute();
    expect(row!.mailbox_id).toBe(hidden);
    expect(await emails({ kind: 'contact', id: li })).toEqual(['m1', 'm3']);
    expect(await emails({ kind: 'company', id: acme })).toEqual(['m1', 'm4', 'm3', 'm2']);
    await db().updateTable('messages').set({ mailbox_id: mailboxId }).where('id', '=', msg.m5!).execute();
    expect(await emails({ kind: 'contact', id: li })).toEqual(['m1', 'm5', 'm3']);
  });

  it('places an undated message at its arrival, and moves it when it gets a date', async () => {
    await message('undated', null);
    await link('undated', { contact_id: wang });
    const created = await db().selectFrom('messages').select('created_at').where('id', '=', msg.undated!).executeTakeFirstOrThrow();
    const [row] = await db().selectFrom('message_links').select('message_at').where('message_id', '=', msg.undated!).execute();
    expect(new Date(row!.message_at).toISOString()).toBe(new Date(created.created_at).toISOString());
    expect((await emails({ kind: 'contact', id: wang }))[0]).toBe('undated');
    await db()
      .updateTable('messages')
      .set({ date: new Date('2026-10-01T10:00:00Z') })
      .where('id', '=', msg.undated!)
      .execute();
    expect(await emails({ kind: 'contact', id: wang })).toEqual(['m4', 'm3', 'm2', 'undated']);
  });

  it('takes an unlinked message off the timeline it was unlinked from only', async () => {
    await db().deleteFrom('message_links').where('message_id', '=', msg.m3!).where('contact_id', '=', li).execute();
    expect(await emails({ kind: 'contact', id: li })).toEqual(['m1', 'm5']);
    expect(await emails({ kind: 'contact', id: wang })).toEqual(['m4', 'm3', 'm2', 'undated']);
    expect(await emails({ kind: 'company', id: acme })).toEqual(['m1', 'm5', 'm4', 'm3', 'm2', 'undated']);
  });
});
