import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailConnectorFactory, syncHostChecker } from '../../src/sync/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { asUser } from '../support/imap.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'dan@example.test';
const PASS = 'dan-password-1';

/** The one file in the user's Maildir holding the message (Dovecot moves files from new/ to cur/). */
async function messageFile(env: SyncEnv, messageId: string): Promise<string> {
  const maildir = path.join(env.dovecot.dir, 'home', USER, 'Maildir');
  const hits: string[] = [];
  for (const sub of ['cur', 'new']) {
    for (const f of await fs.readdir(path.join(maildir, sub))) {
      const file = path.join(maildir, sub, f);
      if ((await fs.readFile(file, 'utf8')).includes(`Message-ID: ${messageId}`)) hits.push(file);
    }
  }
  expect(hits).toHaveLength(1);
  return hits[0];
}

/**
 * Makes one stored message unreadable to Dovecot: it keeps listing it, and drops the connection on FETCH.
 * Returns the way to make it readable again (this test runs as root, so it can still find it by content).
 */
async function breakMessage(env: SyncEnv, messageId: string): Promise<() => Promise<void>> {
  const file = await messageFile(env, messageId);
  const { mode } = await fs.stat(file);
  await fs.chmod(file, 0);
  return async () => fs.chmod(await messageFile(env, messageId), mode & 0o7777);
}

describe('a message the server never returns (PGlite)', () => {
  let env: SyncEnv;
  let mailboxId: string;
  let repair: () => Promise<void>;

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    mailboxId = await env.bindMailbox(USER, PASS);
    for (let i = 0; i < 6; i++) await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'ff' }));
    repair = await breakMessage(env, '<ff-3@example.com>');
  });
  afterAll(async () => env?.close());

  // Each try reconnects (Dovecot drops the connection on the unreadable file): slow on a loaded machine.
  it('is recorded as a fetch failure after a few tries, and the folder moves on', { timeout: 90_000 }, async () => {
    // The first retry is far off here: the message is fixed only in the next test.
    const sync = env.supervisor({ fetchGiveUp: { tries: 3, minMs: 0 }, fetchRetry: { firstMs: 3_000, maxMs: 60_000 } });
    sync.start();
    const db = env.db.db;
    const inbox = () =>
      db
        .selectFrom('mail_folders')
        .select(['cursor', 'last_error'])
        .where('mailbox_id', '=', mailboxId)
        .where('remote_id', '=', 'INBOX')
        .executeTakeFirst();
    // Without giving up, the cursor never moves: the engine reconnects for that one message forever.
    const folder = await waitFor('INBOX cursor saved', async () => ((await inbox())?.cursor ? inbox() : null), 50_000);
    expect(await countMessages(env, mailboxId)).toBe(5);
    expect(folder!.last_error).toMatch(/^fetch_failed: 1 message\(s\) .*ids 4\)$/);
    const status = await sync.status(mailboxId);
    expect(status.counters.fetchFailed).toBe(1);
    expect(status.lastError).toContain('fetch_failed');
    // Kept to be tried again, not dropped.
    await waitFor('the status to count it', async () => (await sync.status(mailboxId)).waitingForRetry === 1, 10_000);
    const retry = await db.selectFrom('mail_fetch_retries').select(['remote_id', 'tries']).where('mailbox_id', '=', mailboxId).execute();
    expect(retry).toEqual([{ remote_id: '4', tries: 0 }]);

    // Progress goes on: new mail still arrives.
    await env.dovecot.append(USER, 'INBOX', fixtureMessage(7, { tag: 'ff' }));
    await waitFor('new mail after the skip', async () => (await countMessages(env, mailboxId)) === 6, 15_000);
    expect(
      (await db.selectFrom('messages').select('message_id_header').where('mailbox_id', '=', mailboxId).execute())
        .map((m) => m.message_id_header)
        .sort(),
    ).toEqual([
      '<ff-0@example.com>',
      '<ff-1@example.com>',
      '<ff-2@example.com>',
      '<ff-4@example.com>',
      '<ff-5@example.com>',
      '<ff-7@example.com>',
    ]);
  });

  it('is fetched by a later try once the server returns it, and the folder is clean again', { timeout: 60_000 }, async () => {
    const db = env.db.db;
    const sync = env.supervisor({ fetchGiveUp: { tries: 3, minMs: 0 }, fetchRetry: { firstMs: 3_000, maxMs: 60_000 } });
    sync.start();
    // Still unreadable: a due try misses and is put off, doubling the wait.
    const missed = await waitFor(
      'a retry that missed',
      async () => {
        const row = await db
          .selectFrom('mail_fetch_retries')
          .select(['tries', 'next_try_at'])
          .where('mailbox_id', '=', mailboxId)
          .executeTakeFirst();
        return row && row.tries >= 1 ? row : null;
      },
      30_000,
    );
    expect(new Date(missed!.next_try_at).getTime()).toBeGreaterThan(Date.now() + 1_000);

    await repair();
    await waitFor('the skipped message stored', async () => (await countMessages(env, mailboxId)) === 7, 40_000);
    expect(
      await db.selectFrom('messages').select('message_id_header').where('message_id_header', '=', '<ff-3@example.com>').execute(),
    ).toHaveLength(1);
    expect(await db.selectFrom('mail_fetch_retries').selectAll().where('mailbox_id', '=', mailboxId).execute()).toEqual([]);
    const status = await waitFor(
      'status without the retry',
      async () => {
        const st = await sync.status(mailboxId);
        return st.waitingForRetry === 0 ? st : null;
      },
      10_000,
    );
    expect(status!.lastError).toBeNull();
  });
});

describe('a message waiting for a retry, deleted on a server without QRESYNC (PostgreSQL)', () => {
  let env: SyncEnv;
  let mailboxId: string;

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    mailboxId = await env.bindMailbox(USER, PASS);
    for (let i = 0; i < 4; i++) await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'fq' }));
    await breakMessage(env, '<fq-2@example.com>');
  });
  afterAll(async () => env?.close());

  it('is dropped from the retries once the server no longer lists it', { timeout: 90_000 }, async () => {
    const db = env.db.db;
    // Without QRESYNC no VANISHED names the deleted message: only comparing UIDs can tell it went.
    const connectorFor = mailConnectorFactory({
      vault: env.services.vault,
      connector: { disableQresync: true },
      checkHost: syncHostChecker({ db, settings: env.config }),
    });
    // The next try is far off, so only a removal can clear the row within this test.
    const sync = env.supervisor({ connectorFor, fetchGiveUp: { tries: 3, minMs: 0 }, fetchRetry: { firstMs: 600_000, maxMs: 600_000 } });
    sync.start();
    const retries = () => db.selectFrom('mail_fetch_retries').select('remote_id').where('mailbox_id', '=', mailboxId).execute();
    await waitFor('the unreadable message waiting for a retry', async () => (await retries()).length === 1, 60_000);
    expect(await retries()).toEqual([{ remote_id: '3' }]);
    expect(await countMessages(env, mailboxId)).toBe(3);

    // Deleted on the server (another client, say), then new mail wakes the engine. Dovecot notices a
    // file gone from its maildir only when it next scans the folder: make that happen before the new
    // mail arrives, or the round it wakes may count 5 messages (nothing deleted yet) and nothing
    // would wake the engine again (this once failed CI on a loaded machine).
    await fs.unlink(await messageFile(env, '<fq-2@example.com>'));
    await waitFor(
      'Dovecot to see the message gone',
      () => asUser(env.dovecot, USER, PASS, async (c) => (await c.mailboxOpen('INBOX')).exists === 3),
      20_000,
      200,
    );
    await env.dovecot.append(USER, 'INBOX', fixtureMessage(9, { tag: 'fq' }));
    await waitFor('the new message stored', async () => (await countMessages(env, mailboxId)) === 4, 20_000);
    await waitFor('the retry row gone', async () => (await retries()).length === 0, 20_000);
    // The status counts the waiting retries at the end of the round that removed the row.
    await waitFor('the status to count none waiting', async () => (await sync.status(mailboxId)).waitingForRetry === 0, 10_000);
  });
});
