import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureMessage } from '../support/corpus.ts';
import { startSyncChild } from '../support/sync-child.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'cat@example.test';
const PASS = 'cat-password-1';
const N = 240;

function startChild(env: SyncEnv, holder: string): ReturnType<typeof startSyncChild> {
  return startSyncChild({ databaseUrl: env.db.url!, dataDir: env.config.dataDir, masterKey: 'test-master-key-0123456789abcdef', holder });
}

describe('sync survives crashes, restarts and a second process (PostgreSQL)', () => {
  let env: SyncEnv;
  let mailboxId: string;
  const ids = new Set<string>();

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    mailboxId = await env.bindMailbox(USER, PASS);
    for (let i = 0; i < N; i++) {
      await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'cr', attachmentBytes: i % 10 === 0 ? 20_000 : 0 }));
      ids.add(`<cr-${i}@example.com>`);
    }
  }, 120_000);
  afterAll(async () => env?.close());

  it('a process killed with SIGKILL mid-import is taken over; the store ends exactly equal to the server', async () => {
    const { child, output } = startChild(env, 'child-a');
    try {
      await waitFor('the child to store some messages', async () => (await countMessages(env, mailboxId)) >= 40, 60_000, 20);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const partial = await countMessages(env, mailboxId);
    expect(partial, output()).toBeLessThan(N);
    const lease = await env.db.db.selectFrom('sync_leases').selectAll().executeTakeFirstOrThrow();
    expect(lease.holder).toBe('child-a');

    // This process takes over once the dead holder's lease expires (3 s in the child).
    const s = env.supervisor({ holder: 'parent' });
    s.start();
    await waitFor('takeover and full import', async () => (await countMessages(env, mailboxId)) === N, 60_000, 50);
    const rows = await env.db.db.selectFrom('messages').select('message_id_header').where('mailbox_id', '=', mailboxId).execute();
    expect(new Set(rows.map((r) => r.message_id_header))).toEqual(ids);
    const status = await s.status(mailboxId);
    // Resumed, not restarted: what the dead process stored was not fetched again.
    expect(status.counters.fetched).toBeLessThanOrEqual(N - partial + 10);
    expect((await env.db.db.selectFrom('sync_leases').select('holder').executeTakeFirstOrThrow()).holder).toBe('parent');
    const members = await env.db.db
      .selectFrom('message_folders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(members.n)).toBe(N);
  });

  it('two processes on one database sync the mailbox once', async () => {
    const { child, output } = startChild(env, 'child-b');
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      await env.dovecot.append(USER, 'INBOX', fixtureMessage(1000, { tag: 'cr' }));
      await waitFor('new mail', async () => (await countMessages(env, mailboxId)) === N + 1, 10_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await countMessages(env, mailboxId)).toBe(N + 1);
      const leases = await env.db.db.selectFrom('sync_leases').select('holder').execute();
      expect(leases).toEqual([{ holder: 'parent' }]);
      expect(output()).not.toMatch(/created/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reconnects after Dovecot restarts during IDLE and catches up', async () => {
    const sync = env.services.sync!;
    await waitFor('watching', async () => (await sync.status(mailboxId)).state === 'watching');
    await env.dovecot.restart();
    await env.dovecot.append(USER, 'INBOX', fixtureMessage(1001, { tag: 'cr' }));
    await waitFor('caught up after restart', async () => (await countMessages(env, mailboxId)) === N + 2, 20_000);
    await waitFor('watching again', async () => (await sync.status(mailboxId)).state === 'watching', 10_000);
  });
});
