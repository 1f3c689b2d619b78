import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { insertUser } from '../../test/support/rows.ts';
import { listNotifications } from './repository.ts';

// The notification list's keyset pages (kernel timeIdPage) on stored rows (PGlite): newest first, rows that
// share a moment ordered by id, every row once across pages, and a cursor from elsewhere refused.
describe('the notification list, page by page (PGlite)', () => {
  let t: TestDatabase;
  let userId: string;
  let expected: string[];

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    userId = await insertUser(t.db);
    const other = await insertUser(t.db, { email: 'other@example.com' });
    // Five of the user's, two sharing one moment (the id decides between them), and one of another user's.
    const moments = [
      '2026-12-01T10:00:00Z',
      '2026-12-02T10:00:00Z',
      '2026-12-02T10:00:00Z',
      '2026-12-03T10:00:00Z',
      '2026-12-04T10:00:00Z',
    ];
    const rows = await t.db
      .insertInto('notifications')
      .values(moments.map((at) => ({ user_id: userId, kind: 'mailbox_attention' as const, created_at: new Date(at) })))
      .returning(['id', 'created_at'])
      .execute();
    await t.db.insertInto('notifications').values({ user_id: other, kind: 'mailbox_attention' }).execute();
    expected = rows.sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);
  }, 60_000);
  afterAll(async () => t?.drop());

  it('hands out every row once, newest first, and no cursor after the last page', async () => {
    const seen: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | undefined;
    do {
      const page = await listNotifications(t.db, userId, { limit: 2, cursor });
      seen.push(...page.items.map((n) => n.id));
      cursors.push(page.nextCursor);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(cursors.map((c) => c !== null)).toEqual([true, true, false]);
  });

  it('gives no next cursor when the page holds the rest exactly', async () => {
    const page = await listNotifications(t.db, userId, { limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give', async () => {
    await expect(listNotifications(t.db, userId, { limit: 2, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_cursor' });
  });
});
