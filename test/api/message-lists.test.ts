import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { insertMailbox } from '../support/rows.ts';

const BASE = Date.parse('2026-10-01T00:00:00Z');

// The message lists page on (date desc nulls last, id desc) through the date indexes: every order and
// boundary case a page can stop at (equal dates, the last dated message, the undated tail), the Trash/Junk
// rule of the unified views, a folder's list, and a reader who sees only their own drop-box mail of a mailbox.
describe.each(databaseKinds)('message lists on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let bob: Client;
  let bobId = '';
  const box = { ada: '', private: '' };
  const folder = { inbox: '', trash: '', privateInbox: '' };
  /** Every message of Ada's mailbox, in the order the lists must give them. */
  let expected: Array<{ id: string; date: Date | null; folders: string[] }> = [];
  let droppedByBob = '';

  async function insert(mailboxId: string, date: Date | null, folders: string[], extra: { logged_by_user_id?: string } = {}) {
    const row = await t.db.db
      .insertInto('messages')
      .values({
        mailbox_id: mailboxId,
        subject: 'Order',
        date,
        from: JSON.stringify([{ name: 'Li', address: 'li@acme.com' }]),
        to: '[]',
        cc: '[]',
        bcc: '[]',
        reply_to: '[]',
        participants: ['li@acme.com'],
        raw_sha256: randomUUID(),
        ...extra,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const folderId of folders)
      await t.db.db
        .insertInto('message_folders')
        .values({ message_id: row.id, folder_id: folderId, uid_validity: '1', remote_id: randomUUID() })
        .execute();
    return row.id;
  }

  const addFolder = async (mailboxId: string, name: string, role: 'inbox' | 'trash' | null) =>
    (
      await t.db.db
        .insertInto('mail_folders')
        .values({ mailbox_id: mailboxId, remote_id: name, path: name, name, delimiter: '/', role })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
    const adaId = (await t.db.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    ({ client: bob, id: bobId } = await signInMember(t, admin, 'bob@ourco.com', 'Bob'));
    box.ada = await insertMailbox(t.db.db, adaId, 'ada@ourco.com', { visibility: 'share_all' });
    box.private = await insertMailbox(t.db.db, adaId, 'ada-private@ourco.com', { visibility: 'private' });
    folder.inbox = await addFolder(box.ada, 'INBOX', 'inbox');
    folder.trash = await addFolder(box.ada, 'Trash', 'trash');
    folder.privateInbox = await addFolder(box.private, 'INBOX', 'inbox');
    // 23 dated messages, three to a minute (equal dates across page boundaries), and 5 without a date; some
    // only in Trash, one in Inbox and Trash, one in no folder.
    const specs: Array<{ date: Date | null; folders: string[] }> = [];
    for (let i = 0; i < 23; i++) {
      const folders = i % 5 === 0 ? [folder.trash] : i === 7 ? [folder.inbox, folder.trash] : i === 11 ? [] : [folder.inbox];
      specs.push({ date: new Date(BASE + Math.floor(i / 3) * 60_000), folders });
    }
    for (let i = 0; i < 5; i++) specs.push({ date: null, folders: i === 2 ? [folder.trash] : [folder.inbox] });
    for (const s of specs) expected.push({ ...s, id: await insert(box.ada, s.date, s.folders) });
    expected = expected.sort((a, b) =>
      a.date && b.date && a.date.getTime() !== b.date.getTime()
        ? b.date.getTime() - a.date.getTime()
        : a.date && !b.date
          ? -1
          : !a.date && b.date
            ? 1
            : b.id.localeCompare(a.id),
    );
    await insert(box.private, new Date(BASE), [folder.privateInbox]);
    droppedByBob = await insert(box.private, new Date(BASE + 60_000), [folder.privateInbox], { logged_by_user_id: bobId });
  });
  afterAll(async () => t?.close());

  const ids = (items: Array<{ id: string }>) => items.map((m) => m.id);

  it('pages through a mailbox newest first, equal dates by id, undated last, at every page size', async () => {
    for (const limit of [1, 2, 3, 4, 7, 23, 28, 100]) {
      const { items } = await allPages(admin, `/api/v1/messages?mailboxId=${box.ada}&limit=${limit}`);
      expect(ids(items), `limit ${limit}`).toEqual(ids(expected));
    }
  });

  it('the unified view leaves out mail that is only in Trash, and keeps mail in no folder or also in Inbox', async () => {
    const kept = expected.filter((m) => m.folders.length === 0 || m.folders.some((f) => f !== folder.trash));
    expect(kept.length).toBeLessThan(expected.length);
    for (const limit of [2, 5]) {
      const { items } = await allPages(admin, `/api/v1/mail/messages?mailboxId=${box.ada}&limit=${limit}`);
      expect(ids(items), `limit ${limit}`).toEqual(ids(kept));
    }
  });

  it("a folder's list holds that folder's mail only, in the same order", async () => {
    const inbox = expected.filter((m) => m.folders.includes(folder.inbox));
    const { items } = await allPages(admin, `/api/v1/messages?folderId=${folder.inbox}&limit=4`);
    expect(ids(items)).toEqual(ids(inbox));
    const mismatched = await admin.get(`/api/v1/messages?folderId=${folder.inbox}&mailboxId=${box.private}`);
    expect(mismatched.data.items).toEqual([]);
    expect((await admin.get(`/api/v1/messages?folderId=${randomUUID()}`)).data.items).toEqual([]);
  });

  it('a reader of none of a private mailbox sees only the mail they logged there, by mailbox and by folder', async () => {
    expect(ids((await bob.get(`/api/v1/messages?mailboxId=${box.private}`)).data.items)).toEqual([droppedByBob]);
    expect(ids((await bob.get(`/api/v1/messages?folderId=${folder.privateInbox}`)).data.items)).toEqual([droppedByBob]);
    const all = await allPages(bob, '/api/v1/messages?limit=5');
    expect(new Set(ids(all.items))).toEqual(new Set([...ids(expected), droppedByBob]));
    expect(all.items.length).toBe(expected.length + 1);
  });
});
