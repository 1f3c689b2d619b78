import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSupervisor } from '../../src/sync/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { asUser } from '../support/imap.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'chg@example.test';
const PASS = 'chg-password-1';
const N = 600;

/**
 * What an admin changes in Settings › Mailboxes reaches the sync engine at once. Discovery and polling
 * (and lease renewal, which notices an unbound mailbox's lease gone) are set to a minute here, so only
 * the API's notice can explain a prompt reaction.
 */
describe('mailbox changes through the API reach a running sync (PostgreSQL)', () => {
  let env: SyncEnv;
  let sync: SyncSupervisor;
  let mailboxId: string;
  const connectedTo: string[] = [];

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    mailboxId = await env.bindMailbox(USER, PASS);
    await env.dovecot.createFolder(USER, 'Archive');
    await env.dovecot.append(USER, 'Archive', fixtureMessage(10_000, { tag: 'chg-archive' }));
    await asUser(env.dovecot, USER, PASS, async (c) => {
      for (let start = 0; start < N; start += 50) {
        const appends: Array<Promise<unknown>> = [];
        for (let i = start; i < start + 50; i++)
          appends.push(c.append('INBOX', fixtureMessage(i, { tag: 'chg', attachmentBytes: i % 4 === 0 ? 30_000 : 0 })));
        await Promise.all(appends);
      }
    });
    // Records the server each session connects to.
    const connectorFor: typeof env.services.connectorFor = (mailbox) => {
      connectedTo.push(mailbox.imap_host);
      return env.services.connectorFor(mailbox);
    };
    sync = env.supervisor({ connectorFor, discoverMs: 60_000, pollMs: 60_000, renewMs: 60_000, leaseTtlMs: 120_000, batchSize: 10 });
    sync.start();
  }, 120_000);
  afterAll(async () => env?.close());

  const state = async () => (await sync.status(mailboxId)).state;

  it('pausing stops an import in progress at once, and resuming finishes it without duplicates', async () => {
    await waitFor('import under way', async () => (await countMessages(env, mailboxId)) >= 20, 30_000, 10);
    const paused = await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { paused: true });
    expect(paused.statusCode).toBe(200);
    await waitFor('sync paused', async () => (await state()) === 'paused', 5_000);
    const atPause = await countMessages(env, mailboxId);
    expect(atPause).toBeLessThan(N);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await countMessages(env, mailboxId)).toBe(atPause);

    const shown = await env.admin.get(`/api/v1/mailboxes/${mailboxId}`);
    expect(shown.data.mailbox.sync).toMatchObject({ mailboxId, state: 'paused', holder: 'this' });

    expect((await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { paused: false })).statusCode).toBe(200);
    await waitFor('import finished', async () => (await countMessages(env, mailboxId)) === N, 30_000);
    const ids = await env.db.db.selectFrom('messages').select('message_id_header').where('mailbox_id', '=', mailboxId).execute();
    expect(new Set(ids.map((r) => r.message_id_header)).size).toBe(N);
    await waitFor('watching the Inbox', async () => (await state()) === 'watching', 10_000);
    expect((await env.admin.get(`/api/v1/mailboxes/${mailboxId}`)).data.mailbox.sync).toMatchObject({ state: 'watching', lastError: null });
  });

  it('syncs a folder as soon as it is selected', async () => {
    const archived = async () =>
      env.db.db
        .selectFrom('messages')
        .select('id')
        .where('mailbox_id', '=', mailboxId)
        .where('message_id_header', '=', '<chg-archive-10000@example.com>')
        .executeTakeFirst();
    expect(await archived()).toBeUndefined();
    const res = await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { syncFolders: ['INBOX', 'Archive'] });
    expect(res.statusCode).toBe(200);
    await waitFor('the Archive folder synced', archived, 10_000);
  });

  it('reaches the process syncing the mailbox when another process took the change', async () => {
    // Settled first: a session just starting reads the row anyway, which would prove nothing here.
    await waitFor('watching the Inbox', async () => (await state()) === 'watching', 30_000);
    // A second process on the same database: the API's notice now goes to it, and it holds no lease.
    const other = env.supervisor({ discoverMs: 60_000, pollMs: 60_000, renewMs: 60_000, leaseTtlMs: 120_000 });
    other.start();
    await other.refresh();
    expect(other.held()).not.toContain(mailboxId);
    try {
      expect((await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { paused: true })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(await state()).not.toBe('paused'); // nobody told the syncing process yet
      await sync.refresh(); // its next discovery tick
      await waitFor('sync paused', async () => (await state()) === 'paused', 5_000);
      expect((await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { paused: false })).statusCode).toBe(200);
      await sync.refresh();
      await waitFor('watching again', async () => (await state()) === 'watching', 10_000);
    } finally {
      await other.stop();
      env.services.sync = sync;
    }
  });

  it('connects again at once when the server settings change', async () => {
    await waitFor('watching the Inbox', async () => (await state()) === 'watching', 30_000);
    expect(connectedTo.at(-1)).toBe('127.0.0.1');
    // A new host takes the password again: a stored one is only sent where it was entered.
    const res = await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, {
      imap: { host: 'localhost', port: env.dovecot.imapsPort, security: 'tls' },
      password: PASS,
    });
    expect(res.statusCode, JSON.stringify(res.data)).toBe(200);
    await waitFor('a session to the new host', async () => connectedTo.at(-1) === 'localhost', 10_000);
    await waitFor('watching again', async () => (await state()) === 'watching', 10_000);
    await env.dovecot.append(USER, 'INBOX', fixtureMessage(20_000, { tag: 'chg-after' }));
    await waitFor(
      'new mail over the new connection',
      async () =>
        env.db.db.selectFrom('messages').select('id').where('message_id_header', '=', '<chg-after-20000@example.com>').executeTakeFirst(),
      10_000,
    );
  });

  it('stops syncing an unbound mailbox at once', async () => {
    expect(sync.held()).toContain(mailboxId);
    expect((await env.admin.delete(`/api/v1/mailboxes/${mailboxId}`)).statusCode).toBe(204);
    await waitFor('runner stopped', async () => !sync.held().includes(mailboxId), 5_000);
    expect(await countMessages(env, mailboxId)).toBe(0);
    const leases = await env.db.db.selectFrom('sync_leases').select('mailbox_id').where('mailbox_id', '=', mailboxId).execute();
    expect(leases).toEqual([]);
  });
});

describe('a refused password (PostgreSQL)', () => {
  const USER2 = 'pw@example.test';
  const PASS2 = 'pw-password-1';
  let env: SyncEnv;
  let sync: SyncSupervisor;
  let mailboxId: string;

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    mailboxId = await env.bindMailbox(USER2, PASS2);
    for (let i = 0; i < 3; i++) await env.dovecot.append(USER2, 'INBOX', fixtureMessage(i, { tag: 'pw' }));
    // The password changed on the server since the mailbox was bound.
    const { secret_id } = await env.db.db.selectFrom('mailboxes').select('secret_id').where('id', '=', mailboxId).executeTakeFirstOrThrow();
    await env.services.vault.replace(env.db.db, secret_id!, 'an-old-password');
    sync = env.supervisor({ discoverMs: 60_000, pollMs: 60_000, renewMs: 60_000, leaseTtlMs: 120_000 });
    sync.start();
  }, 60_000);
  afterAll(async () => env?.close());

  it('stops trying after a few refusals and says why, then syncs at once when the password is fixed', async () => {
    await waitFor('needs attention', async () => (await sync.status(mailboxId)).state === 'needs_attention', 20_000);
    const row = await env.db.db
      .selectFrom('mailboxes')
      .select(['status', 'status_reason'])
      .where('id', '=', mailboxId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('needs_attention');
    expect(row.status_reason).toMatch(/refused the login 3 times/);
    const shown = (await env.admin.get(`/api/v1/mailboxes/${mailboxId}`)).data.mailbox;
    expect(shown).toMatchObject({ status: 'needs_attention', sync: { state: 'needs_attention' } });
    expect(shown.sync.lastError).toMatch(/refused the login/);
    // No more tries on its own (each would count against the account on a real server).
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await sync.status(mailboxId)).state).toBe('needs_attention');
    expect(await countMessages(env, mailboxId)).toBe(0);

    const fixed = await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, { password: PASS2 });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.data.test.ok).toBe(true);
    expect(fixed.data.mailbox.status).toBe('active');
    await waitFor('the mail imported', async () => (await countMessages(env, mailboxId)) === 3, 10_000);
    await waitFor('watching the Inbox', async () => (await sync.status(mailboxId)).state === 'watching', 10_000);
  });
});
