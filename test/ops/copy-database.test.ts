import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase } from '../../src/ops/copy-database.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertMailbox, insertUser } from '../support/rows.ts';

// A copy (move-to-postgres, restore) writes the tables the triggers derive from the mail (mail_facts,
// mail_rollups, message_label_keys, the links' dates) as they were. Were the triggers to fire on the copied
// messages too, the counts would be added twice or a derived row written twice.

const DERIVED = ['mail_facts', 'mail_rollups', 'message_label_keys', 'message_links'] as const;

describe('copying a database with mail', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  async function rowsOf(t: TestDatabase, table: string): Promise<string[]> {
    const res = await sql<{ j: string }>`select row_to_json(x)::text as j from ${sql.id(table)} x`.execute(t.db);
    return res.rows.map((r) => r.j).sort();
  }

  it('keeps the kept counts, label keys and link dates as they were, with the triggers back on after', async () => {
    const db = source.db;
    const userId = await insertUser(db, { email: 'owner@ours.test' });
    const mailboxId = await insertMailbox(db, userId, 'owner@ours.test');
    const contact = await db.insertInto('contacts').values({ name: 'Li', owner_user_id: userId }).returning('id').executeTakeFirstOrThrow();
    const thread = await db
      .insertInto('threads')
      .values({ mailbox_id: mailboxId, thread_key: randomUUID(), subject: 'Q' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, from, to] of [
      [0, 'li@acme.test', 'owner@ours.test'],
      [1, 'owner@ours.test', 'li@acme.test'],
      [2, 'li@acme.test', 'owner@ours.test'],
    ] as const) {
      const m = await db
        .insertInto('messages')
        .values({
          mailbox_id: mailboxId,
          thread_id: thread.id,
          subject: `Q ${i}`,
          date: new Date(Date.UTC(2026, 10, 1 + i, 9)),
          raw_sha256: randomUUID(),
          from: JSON.stringify([{ name: null, address: from }]),
          to: JSON.stringify([{ name: null, address: to }]),
          cc: '[]',
          bcc: '[]',
          reply_to: '[]',
          participants: [from, to],
          labels: ['Clients', 'Important'],
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('message_links')
        .values({ message_id: m.id, contact_id: contact.id, company_id: null, role: i === 1 ? 'to' : 'from' })
        .execute();
    }
    const before = Object.fromEntries(await Promise.all(DERIVED.map(async (t) => [t, await rowsOf(source, t)] as const)));
    expect(before.mail_rollups.length).toBeGreaterThan(0);
    expect(before.message_label_keys.length).toBe(6);

    await copyDatabase({ source: source.db, target: target.db });

    for (const table of DERIVED) expect(await rowsOf(target, table), table).toEqual(before[table]);
    // The triggers are on again in the copy: a new message is counted and its labels kept.
    const triggersOff = await sql<{ n: number }>`select count(*)::int as n from pg_trigger
      where not tgisinternal and tgenabled = 'D'`.execute(target.db);
    expect(triggersOff.rows[0]!.n).toBe(0);
  });
});
