import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessages, startSyncEnv, waitFor, type SyncEnv } from './env.ts';
import { fixtureMessage } from './fixtures.ts';

const USER = 'dan@example.test';
const PASS = 'dan-password-1';

/** Makes one stored message unreadable to Dovecot: it keeps listing it, and drops the connection on FETCH. */
async function breakMessage(env: SyncEnv, messageId: string): Promise<void> {
  const maildir = path.join(env.dovecot.dir, 'home', USER, 'Maildir');
  const hits: string[] = [];
  for (const sub of ['cur', 'new']) {
    for (const f of await fs.readdir(path.join(maildir, sub))) {
      const file = path.join(maildir, sub, f);
      if ((await fs.readFile(file, 'utf8')).includes(`Message-ID: ${messageId}`)) hits.push(file);
    }
  }
  expect(hits).toHaveLength(1);
  await fs.chmod(hits[0], 0);
}

describe('a message the server never returns (PGlite)', () => {
  let env: SyncEnv;
  let mailboxId: string;

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    mailboxId = await env.bindMailbox(USER, PASS);
    for (let i = 0; i < 6; i++) await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'ff' }));
    await breakMessage(env, '<ff-3@example.com>');
  });
  afterAll(async () => env?.close());

  // Each try reconnects (Dovecot drops the connection on the unreadable file): slow on a loaded machine.
  it('is recorded as a fetch failure after a few tries, and the folder moves on', { timeout: 90_000 }, async () => {
    const sync = env.supervisor({ fetchGiveUp: { tries: 3, minMs: 0 } });
    sync.start();
    const db = env.db.db;
    const inbox = () => db.selectFrom('mail_folders').select(['cursor', 'last_error']).where('mailbox_id', '=', mailboxId).where('remote_id', '=', 'INBOX').executeTakeFirst();
    // Without giving up, the cursor never moves: the engine reconnects for that one message forever.
    const folder = await waitFor('INBOX cursor saved', async () => (await inbox())?.cursor ? inbox() : null, 50_000);
    expect(await countMessages(env, mailboxId)).toBe(5);
    expect(folder!.last_error).toMatch(/^fetch_failed: 1 message\(s\) .*ids 4\)$/);
    const status = await sync.status(mailboxId);
    expect(status.counters.fetchFailed).toBe(1);
    expect(status.lastError).toContain('fetch_failed');

    // Progress goes on: new mail still arrives.
    await env.dovecot.append(USER, 'INBOX', fixtureMessage(7, { tag: 'ff' }));
    await waitFor('new mail after the skip', async () => (await countMessages(env, mailboxId)) === 6, 15_000);
    expect((await db.selectFrom('messages').select('message_id_header').where('mailbox_id', '=', mailboxId).execute()).map((m) => m.message_id_header).sort())
      .toEqual(['<ff-0@example.com>', '<ff-1@example.com>', '<ff-2@example.com>', '<ff-4@example.com>', '<ff-5@example.com>', '<ff-7@example.com>']);
  });
});
