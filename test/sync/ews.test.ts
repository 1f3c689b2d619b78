import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEwsServer, type EwsServerInstance } from '../harness/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { insertEwsMailbox } from '../support/ews.ts';
import { startSyncChild } from '../support/sync-child.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import type { SyncSupervisor } from '../../src/sync/index.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'sales@contoso.test';
const LOGIN = 'CONTOSO\\sales';
const PASS = 'Exch-Pass-2026';
const INBOX = 2_800;
const SENT = 200;

/** Message-ID headers of a folder on the server and in the store, for exact comparison. */
async function storedIds(env: SyncEnv, mailboxId: string, remoteFolderId: string): Promise<string[]> {
  const rows = await env.db.db
    .selectFrom('messages')
    .innerJoin('message_folders', 'message_folders.message_id', 'messages.id')
    .innerJoin('mail_folders', 'mail_folders.id', 'message_folders.folder_id')
    .select('messages.message_id_header')
    .where('messages.mailbox_id', '=', mailboxId)
    .where('mail_folders.remote_id', '=', remoteFolderId)
    .execute();
  return rows.map((r) => r.message_id_header ?? '').sort();
}

describe('an Exchange Server mailbox over EWS (PostgreSQL)', () => {
  let env: SyncEnv;
  let ews: EwsServerInstance;
  let mailboxId: string;
  let supervisor: SyncSupervisor;
  const folderId = (name: string) => ews.mailbox(USER).folder(name)!.id;
  const serverIds = (name: string) =>
    ews
      .state(USER, name)
      .map((m) => m.messageId ?? '')
      .sort();
  const messageByHeader = (header: string) =>
    env.db.db
      .selectFrom('messages')
      .select(['id', 'seen', 'flagged'])
      .where('mailbox_id', '=', mailboxId)
      .where('message_id_header', '=', header)
      .execute();

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    ews = await startEwsServer();
    ews.addUser({ email: USER, username: LOGIN, password: PASS });
    for (let i = 0; i < INBOX; i++)
      ews.deliver(USER, 'inbox', fixtureMessage(i, { tag: 'ews' }), { isRead: i % 3 === 0, flagged: i % 50 === 0, event: false });
    for (let i = 0; i < SENT; i++) ews.deliver(USER, 'sentitems', fixtureMessage(i, { tag: 'sent' }), { isRead: true, event: false });
    mailboxId = await insertEwsMailbox(env.db.db, env.services.vault, ews, {
      ownerUserId: env.adminId,
      email: USER,
      username: LOGIN,
      password: PASS,
      syncFolders: ['inbox', 'sentitems', 'archive', 'deleteditems'].map(folderId),
    });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
    await ews?.stop();
  });

  it('a process killed with SIGKILL mid-import is taken over: 3,000 messages, exactly the server’s, none twice', async () => {
    const { child, output } = startSyncChild({
      databaseUrl: env.db.url!,
      dataDir: env.config.dataDir,
      masterKey: 'test-master-key-0123456789abcdef',
      holder: 'child-ews',
    });
    try {
      await waitFor('the child to store some messages', async () => (await countMessages(env, mailboxId)) >= 100, 60_000, 20);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    expect(await countMessages(env, mailboxId), output()).toBeLessThan(INBOX + SENT);

    // Realtime over streaming notifications: polling is slowed to a minute so only they can wake a round.
    supervisor = env.supervisor({ holder: 'parent', pollMs: 60_000 });
    supervisor.start();
    await waitFor('the whole import', async () => (await countMessages(env, mailboxId)) === INBOX + SENT, 120_000, 100);
    expect(await storedIds(env, mailboxId, folderId('inbox'))).toEqual(serverIds('inbox'));
    expect(await storedIds(env, mailboxId, folderId('sentitems'))).toEqual(serverIds('sentitems'));
    const read = await env.db.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('mailbox_id', '=', mailboxId)
      .where('seen', '=', true)
      .executeTakeFirstOrThrow();
    expect(Number(read.n)).toBe(ews.state(USER, 'inbox').filter((m) => m.isRead).length + SENT);
    const [flagged] = await messageByHeader('<ews-50@example.com>');
    expect(flagged?.flagged).toBe(true);
  }, 240_000);

  it('takes new mail in real time over GetStreamingEvents', async () => {
    await waitFor('a streaming connection', async () => ews.streamingConnections() >= 1, 20_000);
    const started = Date.now();
    ews.deliver(USER, 'inbox', fixtureMessage(1, { tag: 'live' }));
    await waitFor('the new message', async () => (await messageByHeader('<live-1@example.com>')).length === 1, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('sends read, flag, move and delete to Exchange, and follows the same changes made there', async () => {
    const [msg] = await messageByHeader('<ews-1@example.com>');
    expect(msg?.seen).toBe(false);
    expect((await env.admin.patch(`/api/v1/messages/${msg!.id}`, { seen: true, flagged: true })).statusCode).toBe(200);
    const onServer = () => ews.state(USER, 'inbox').find((m) => m.messageId === '<ews-1@example.com>');
    expect(onServer()).toMatchObject({ isRead: true, flagged: true });

    // Changed in Outlook: the store follows (streaming wakes the Inbox round).
    const store = ews.mailbox(USER);
    const item = store.findItem(onServer()!.id)!;
    store.update(item, { isRead: false, flagged: false });
    await waitFor('the server-side change', async () => {
      const [m] = await messageByHeader('<ews-1@example.com>');
      return m?.seen === false && m.flagged === false;
    });

    // Moved here: the server gets MoveItem, the message keeps its one row.
    const archive = await env.db.db
      .selectFrom('mail_folders')
      .select('id')
      .where('mailbox_id', '=', mailboxId)
      .where('remote_id', '=', folderId('archive'))
      .executeTakeFirstOrThrow();
    expect((await env.admin.patch(`/api/v1/messages/${msg!.id}`, { folderId: archive.id })).statusCode).toBe(200);
    expect(ews.state(USER, 'archive').map((m) => m.messageId)).toContain('<ews-1@example.com>');
    expect(onServer()).toBeUndefined();

    // Moved in Outlook (a new ItemId in Archive): linked by Message-ID, not stored twice.
    const other = store.findItem(ews.state(USER, 'inbox').find((m) => m.messageId === '<ews-2@example.com>')!.id)!;
    store.move(other, store.folder('archive')!);
    // Streaming watches the Inbox; Archive is polled, here at once with "Sync now".
    await supervisor.syncNow(mailboxId);
    await waitFor(
      'the move made in Outlook',
      async () => (await storedIds(env, mailboxId, folderId('archive'))).includes('<ews-2@example.com>'),
      15_000,
    );
    await waitFor(
      'the Inbox round after the move',
      async () => (await storedIds(env, mailboxId, folderId('inbox'))).length === serverIds('inbox').length,
    );
    expect(await messageByHeader('<ews-2@example.com>')).toHaveLength(1);
    expect(await storedIds(env, mailboxId, folderId('inbox'))).toEqual(serverIds('inbox'));

    // Deleted here: to Deleted Items on the server.
    const [third] = await messageByHeader('<ews-3@example.com>');
    expect((await env.admin.delete(`/api/v1/messages/${third!.id}`)).data.outcome).toBe('moved_to_trash');
    expect(ews.state(USER, 'deleteditems').map((m) => m.messageId)).toContain('<ews-3@example.com>');
    // Deleted in Outlook for good: gone from the store.
    const fourth = store.findItem(ews.state(USER, 'inbox').find((m) => m.messageId === '<ews-4@example.com>')!.id)!;
    store.remove(fourth);
    await waitFor('the hard delete made in Outlook', async () => (await messageByHeader('<ews-4@example.com>')).length === 0, 15_000);
    // live-1 arrived, ews-4 is gone; ews-3 is in Deleted Items, a synced folder.
    expect(await countMessages(env, mailboxId)).toBe(INBOX + SENT);
  });

  it('an invalidated SyncState (ErrorInvalidSyncStateData) relists the folder without duplicates', async () => {
    ews.invalidateSyncStates(USER);
    ews.deliver(USER, 'inbox', fixtureMessage(2, { tag: 'live' }));
    await waitFor('the message after the relisting', async () => (await messageByHeader('<live-2@example.com>')).length === 1, 30_000);
    expect(ews.requests.some((r) => r.code === 'ErrorInvalidSyncStateData')).toBe(true);
    expect(await storedIds(env, mailboxId, folderId('inbox'))).toEqual(serverIds('inbox'));
    expect(await countMessages(env, mailboxId)).toBe(INBOX + SENT + 1);
  });

  it('honours ErrorServerBusy: the next request waits BackOffMilliseconds', async () => {
    ews.setBusy({ backOffMs: 1_500, times: 1, operation: 'SyncFolderItems' });
    const from = ews.requests.length;
    ews.deliver(USER, 'inbox', fixtureMessage(3, { tag: 'live' }));
    await waitFor('the message after the busy answer', async () => (await messageByHeader('<live-3@example.com>')).length === 1, 30_000);
    const after = ews.requests.slice(from);
    const busyAt = after.findIndex((r) => r.code === 'ErrorServerBusy');
    expect(busyAt).toBeGreaterThanOrEqual(0);
    const next = after.slice(busyAt + 1).find((r) => r.user === USER && r.operation === 'SyncFolderItems');
    expect(next!.at - after[busyAt]!.at).toBeGreaterThanOrEqual(1_500);
  });

  it.each([
    ['malformed', 'SyncFolderItems', /malformed XML/],
    ['endless', 'SyncFolderItems', /endless paging/],
    ['huge', 'GetItem', /larger than/],
  ] as const)('a hostile answer (%s %s) is a clear failure, not a crash, and sync resumes after it', async (mode, operation, message) => {
    ews.setHostile(mode, operation);
    ews.deliver(USER, 'inbox', fixtureMessage(10, { tag: `hostile-${mode}` }));
    await waitFor(`the ${mode} failure`, async () => message.test((await supervisor.status(mailboxId)).lastError ?? ''), 30_000);
    ews.setHostile(null);
    await supervisor.syncNow(mailboxId);
    await waitFor('recovery', async () => (await messageByHeader(`<hostile-${mode}-10@example.com>`)).length === 1, 30_000);
    expect(await storedIds(env, mailboxId, folderId('inbox'))).toEqual(serverIds('inbox'));
  });
});
