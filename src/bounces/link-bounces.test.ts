import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { insertMailbox, insertUser } from '../../test/support/rows.ts';
import type { DsnReport } from './dsn-parser.ts';
import { type BounceCandidate, bounceCandidates, clearBouncingBySenders, linkWaitingReports, recordBounce } from './link-bounces.ts';

// The rules of src/bounces/link-bounces.ts on stored rows (PGlite): when an address is marked bouncing,
// when the mark goes, and that replays and other mailboxes change nothing.
describe('bounce lines and bouncing marks (PGlite)', () => {
  let t: TestDatabase;
  let mailbox: string;
  let otherMailbox: string;

  const message = async (
    mailboxId: string,
    opts: { header?: string; from?: string; date: string; subject?: string; autoSubmitted?: string },
  ): Promise<BounceCandidate> => {
    const from = opts.from ?? 'mailer-daemon@mx.example';
    const row = await t.db
      .insertInto('messages')
      .values({
        mailbox_id: mailboxId,
        message_id_header: opts.header ?? `<${randomUUID()}@example.test>`,
        subject: opts.subject ?? 'Undelivered Mail Returned to Sender',
        date: new Date(opts.date),
        from: JSON.stringify([{ name: null, address: from }]),
        to: '[]',
        cc: '[]',
        bcc: '[]',
        reply_to: '[]',
        participants: [from],
        raw_sha256: randomUUID(),
        auto_submitted: opts.autoSubmitted ?? null,
      })
      .returning(['id', 'mailbox_id', 'raw_sha256', 'date'])
      .executeTakeFirstOrThrow();
    return row;
  };
  const dsn = (original: string, recipient: string, action: 'failed' | 'delivered' | 'delayed', at: string): DsnReport => ({
    shape: 'rfc3464',
    reportingMta: 'mx.example',
    arrivalAt: new Date(at),
    originalMessageId: original,
    recipients: [
      { recipient, originalRecipient: null, action, status: '5.1.1', diagnostic: '550 5.1.1 User unknown', lastAttemptAt: null },
    ],
  });
  /** A report about `recipient` arrives in the mailbox, dated `at`, and its line is recorded. */
  const reportArrives = async (original: string, recipient: string, action: 'failed' | 'delivered' | 'delayed', at: string) =>
    recordBounce(t.db, await message(mailbox, { date: at }), dsn(original, recipient, action, at));
  const mark = async (address: string) =>
    t.db.selectFrom('contact_emails').select(['bouncing_at', 'bounce_reason']).where('address', '=', address).executeTakeFirstOrThrow();
  const contactWith = async (address: string) => {
    const owner = (await t.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    const c = await t.db.insertInto('contacts').values({ name: address, owner_user_id: owner }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('contact_emails').values({ contact_id: c.id, address, is_primary: true }).execute();
  };

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    const user = await insertUser(t.db);
    mailbox = await insertMailbox(t.db, user, 'ann@ourco.test');
    otherMailbox = await insertMailbox(t.db, user, 'ben@ourco.test');
  });
  afterAll(async () => t?.drop());

  it('picks candidates by their stored signs only', async () => {
    const daemon = await message(mailbox, { date: '2026-11-01T00:00:00Z' });
    const auto = await message(mailbox, {
      from: 'x@y.example',
      subject: 'Hello',
      autoSubmitted: 'auto-replied',
      date: '2026-11-01T00:00:00Z',
    });
    const chinese = await message(mailbox, { from: 'x@y.example', subject: '系统退信', date: '2026-11-01T00:00:00Z' });
    const person = await message(mailbox, { from: 'x@y.example', subject: 'Lunch?', date: '2026-11-01T00:00:00Z' });
    const found = (await bounceCandidates(t.db, [daemon.id, auto.id, chinese.id, person.id])).map((c) => c.id);
    expect(found.sort()).toEqual([daemon.id, auto.id, chinese.id].sort());
  });

  it('a failed line marks the address once; a replay after the mark is cleared does not mark it again', async () => {
    await contactWith('gone@customer.example');
    const report = await message(mailbox, { date: '2026-11-03T08:00:00Z' });
    const first = await recordBounce(t.db, report, dsn('<q1@ourco.test>', 'gone@customer.example', 'failed', '2026-11-03T08:00:00Z'));
    expect(first.inserted).toBe(1);
    expect(await mark('gone@customer.example')).toEqual({
      bouncing_at: new Date('2026-11-03T08:00:00Z'),
      bounce_reason: '550 5.1.1 User unknown',
    });
    await t.db.updateTable('contact_emails').set({ bouncing_at: null, bounce_reason: null }).execute();
    const again = await recordBounce(t.db, report, dsn('<q1@ourco.test>', 'gone@customer.example', 'failed', '2026-11-03T08:00:00Z'));
    expect(again.inserted).toBe(0);
    expect((await mark('gone@customer.example')).bouncing_at).toBeNull();
  });

  it('an older report never replaces a newer mark; a later delivered report clears it', async () => {
    await contactWith('flaky@customer.example');
    await reportArrives('<a@x>', 'flaky@customer.example', 'failed', '2026-11-10T00:00:00Z');
    await reportArrives('<b@x>', 'flaky@customer.example', 'failed', '2026-11-05T00:00:00Z');
    expect((await mark('flaky@customer.example')).bouncing_at).toEqual(new Date('2026-11-10T00:00:00Z'));
    // Delayed says nothing either way.
    await reportArrives('<c@x>', 'flaky@customer.example', 'delayed', '2026-11-11T00:00:00Z');
    expect((await mark('flaky@customer.example')).bouncing_at).toEqual(new Date('2026-11-10T00:00:00Z'));
    await reportArrives('<d@x>', 'flaky@customer.example', 'delivered', '2026-11-12T00:00:00Z');
    expect((await mark('flaky@customer.example')).bouncing_at).toBeNull();
  });

  it('an old report does not mark an address that wrote to us after it', async () => {
    await contactWith('back@customer.example');
    await message(mailbox, { from: 'back@customer.example', subject: 'I am back', date: '2026-11-20T00:00:00Z' });
    await reportArrives('<e@x>', 'back@customer.example', 'failed', '2026-11-01T00:00:00Z');
    expect((await mark('back@customer.example')).bouncing_at).toBeNull();
  });

  it('mail from a bouncing address clears the mark only when dated after it', async () => {
    await contactWith('writes@customer.example');
    await reportArrives('<f@x>', 'writes@customer.example', 'failed', '2026-11-15T00:00:00Z');
    const older = await message(mailbox, { from: 'writes@customer.example', subject: 'old', date: '2026-11-14T00:00:00Z' });
    expect(await clearBouncingBySenders(t.db, [older.id])).toEqual([]);
    expect((await mark('writes@customer.example')).bouncing_at).not.toBeNull();
    const newer = await message(mailbox, { from: 'writes@customer.example', subject: 'new', date: '2026-11-16T00:00:00Z' });
    expect(await clearBouncingBySenders(t.db, [newer.id])).toEqual(['writes@customer.example']);
    expect((await mark('writes@customer.example')).bouncing_at).toBeNull();
  });

  it('a report waiting for its message is linked when it arrives in the same mailbox, not in another', async () => {
    const report = await message(mailbox, { date: '2026-11-03T00:00:00Z' });
    expect(
      (await recordBounce(t.db, report, dsn('<late@ourco.test>', 'late@customer.example', 'failed', '2026-11-03T00:00:00Z')))
        .originalMessageId,
    ).toBeNull();
    const elsewhere = await message(otherMailbox, {
      header: '<late@ourco.test>',
      from: 'ben@ourco.test',
      subject: 'Late',
      date: '2026-11-02T00:00:00Z',
    });
    expect(await linkWaitingReports(t.db, [elsewhere.id])).toEqual([]);
    const sent = await message(mailbox, {
      header: '<late@ourco.test>',
      from: 'ann@ourco.test',
      subject: 'Late',
      date: '2026-11-02T00:00:00Z',
    });
    expect(await linkWaitingReports(t.db, [sent.id])).toEqual([sent.id]);
    expect(await linkWaitingReports(t.db, [sent.id])).toEqual([]);
    const line = await t.db.selectFrom('message_bounces').selectAll().where('report_message_id', '=', report.id).executeTakeFirstOrThrow();
    expect(line.original_message_id).toBe(sent.id);
    const n = await sql<{ n: number }>`select count(*)::int as n from message_bounces where original_message_id = ${elsewhere.id}`.execute(
      t.db,
    );
    expect(n.rows[0]!.n).toBe(0);
  });
});
