import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureMessage } from '../support/corpus.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'una@example.test';
const PASS = 'una-password-1';
const DAY = 24 * 3600_000;

describe('the unified inbox leaves out Trash and Junk in the query', () => {
  let env: SyncEnv;
  let mailboxId: string;

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    mailboxId = await env.bindMailbox(USER, PASS);
    await env.dovecot.createFolder(USER, 'Trash', '\\Trash');
    await env.dovecot.createFolder(USER, 'Junk', '\\Junk');
    // Six kept messages, older than twenty thrown away: the newest rows of the mailbox are all in the bin.
    for (let i = 0; i < 6; i++)
      await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'kept', date: new Date(Date.UTC(2026, 9, 1) + i * DAY) }));
    for (let i = 0; i < 20; i++) {
      await env.dovecot.append(
        USER,
        i % 2 ? 'Junk' : 'Trash',
        fixtureMessage(i, { tag: 'binned', date: new Date(Date.UTC(2026, 10, 1) + i * DAY) }),
      );
    }
    await env.db.db
      .updateTable('mailboxes')
      .set({ sync_folders: JSON.stringify(['INBOX', 'Trash', 'Junk']) })
      .where('id', '=', mailboxId)
      .execute();
    env.supervisor().start();
    await waitFor('import', async () => (await countMessages(env, mailboxId)) === 26);
  });
  afterAll(async () => env?.close());

  it('fills every page with kept mail however much of the newest is in the bin', async () => {
    const p1 = await env.admin.get('/api/v1/mail/messages?limit=4');
    expect(p1.statusCode).toBe(200);
    expect(p1.data.items).toHaveLength(4);
    expect(p1.data.nextCursor).toEqual(expect.any(String));
    const p2 = await env.admin.get(`/api/v1/mail/messages?limit=4&cursor=${encodeURIComponent(p1.data.nextCursor)}`);
    expect(p2.data.items).toHaveLength(2);
    expect(p2.data.nextCursor).toBeNull();
    const subjects = [...p1.data.items, ...p2.data.items].map((m: { subject: string }) => m.subject);
    expect(subjects).toEqual([5, 4, 3, 2, 1, 0].map((i) => `Quarterly numbers kept ${i}`));
    // The folder list itself still holds the thrown-away mail.
    expect((await env.admin.get('/api/v1/messages?limit=4')).data.items.map((m: { subject: string }) => m.subject)[0]).toBe(
      'Quarterly numbers binned 19',
    );
  });
});
