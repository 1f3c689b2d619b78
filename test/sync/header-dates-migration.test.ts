import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../src/db/migrations/2026-12-10-020-header-dates.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertMail, insertMailbox, insertUser } from '../support/rows.ts';
import type { AppServices } from '../../src/api/context.ts';

// Rows stored before header dates were kept: the migration moves an implausible date to when the row was stored.
describe('migration 2026-12-10-020 (header dates)', () => {
  let t: TestDatabase;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    const db = t.db;
    const mailbox = await insertMailbox(db, await insertUser(db), 'old@example.test');
    // No app: nothing listens for the rows' events.
    const services = { events: { emit: () => undefined }, linker: { idle: async () => undefined } } as unknown as AppServices;
    for (const [subject, date] of [
      ['spam', '3609-01-01T00:00:00Z'],
      ['dead-clock', '1970-01-01T00:00:00Z'],
      ['normal', '2026-11-30T08:00:00Z'],
    ])
      ids[subject] = (await insertMail(db, services, mailbox, { from: 'x@example.org', subject, date })).id;
    // As a row stood before the migration: stored on 1 December 2026, its date as the header said.
    await down(db);
    await sql`update messages set created_at = '2026-12-01T00:00:00Z'`.execute(db);
    await up(db);
  });
  afterAll(async () => t?.drop());

  const row = (subject: string) =>
    t.db.selectFrom('messages').select(['date', 'header_date', 'received_at']).where('id', '=', ids[subject]).executeTakeFirstOrThrow();

  it('moves a date far in the future or before 1990 to when the row was stored, keeping the header date', async () => {
    expect(await row('spam')).toEqual({
      date: new Date('2026-12-01T00:00:00Z'),
      header_date: new Date('3609-01-01T00:00:00Z'),
      received_at: null,
    });
    expect(await row('dead-clock')).toMatchObject({ date: new Date('2026-12-01T00:00:00Z'), header_date: new Date(0) });
  });

  it('leaves a plausible date alone', async () => {
    expect(await row('normal')).toMatchObject({ date: new Date('2026-11-30T08:00:00Z'), header_date: new Date('2026-11-30T08:00:00Z') });
  });
});
