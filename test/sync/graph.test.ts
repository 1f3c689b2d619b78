// A Microsoft 365 mailbox syncs over Microsoft Graph with IMAP's guarantees, against the Graph harness
// server with tokens from the local Microsoft: an exact import of thousands of messages with at most 4
// requests in flight, new mail within seconds by delta polling, read/flag/move/delete both ways, an
// expired delta token answered by a full listing without duplicates, Retry-After honoured, and hostile
// answers failing a round with a clear error instead of crashing or hanging the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailConnectorFactory } from '../../src/sync/connector-factory.ts';
import type { SyncSupervisor } from '../../src/sync/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { bindGraphMailbox, startGraphWorld, type GraphWorld } from '../support/graph-mailbox.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'megan@contoso.example';
const INBOX_COUNT = 3000;
const SENT_COUNT = 40;

describe('sync over Microsoft Graph (PGlite, Graph harness, local Microsoft)', () => {
  let world: GraphWorld;
  let env: SyncEnv;
  let sync: SyncSupervisor;
  let mailboxId: string;
  let connectorFor: ReturnType<typeof mailConnectorFactory>;

  /** Tidings' view: one row per message with its Message-ID, flags and the roles of its folders. */
  const stored = async () => {
    const rows = await env.db.db
      .selectFrom('messages as m')
      .leftJoin('message_folders as mf', 'mf.message_id', 'm.id')
      .leftJoin('mail_folders as f', 'f.id', 'mf.folder_id')
      .select(['m.id', 'm.message_id_header', 'm.seen', 'm.flagged', 'f.role', 'mf.remote_id'])
      .where('m.mailbox_id', '=', mailboxId)
      .execute();
    return rows;
  };
  const ROLE_OF: Record<string, string> = {
    inbox: 'inbox',
    sentitems: 'sent',
    deleteditems: 'trash',
    archive: 'archive',
    junkemail: 'junk',
    drafts: 'drafts',
  };
  /** The server's state in the same shape, sorted for comparison. */
  const serverView = () =>
    world.graph
      .state(USER)
      .map((m) => `${m.internetMessageId} ${ROLE_OF[m.folder]} ${m.isRead} ${m.flagStatus === 'flagged'} ${m.id}`)
      .sort();
  const storedView = async () =>
    (await stored()).map((r) => `${r.message_id_header} ${r.role} ${r.seen} ${r.flagged} ${r.remote_id}`).sort();
  const rowOf = async (messageIdHeader: string) => (await stored()).find((r) => r.message_id_header === messageIdHeader);

  beforeAll(async () => {
    world = await startGraphWorld(USER);
    env = await startSyncEnv('pglite');
    const { graph } = world;
    for (let i = 0; i < INBOX_COUNT; i++) {
      graph.deliver(USER, 'inbox', fixtureMessage(i, { tag: 'graph' }), { isRead: i % 3 === 0, flagged: i % 50 === 0 });
    }
    for (let i = 0; i < SENT_COUNT; i++) graph.deliver(USER, 'sentitems', fixtureMessage(i, { tag: 'sent' }), { isRead: true });
    // Every folder synced (not only Inbox and Sent), so moves and deletes stay visible on both sides.
    const syncFolders = [...graph.mailbox(USER).folders.keys()];
    const bound = await bindGraphMailbox(env.db.db, env.services.vault, world, { ownerUserId: env.adminId, email: USER, syncFolders });
    mailboxId = bound.mailboxId;
    connectorFor = mailConnectorFactory({ vault: env.services.vault, tokens: bound.tokens, checkHost: async () => undefined });
    // The message commands API (Tidings → server) uses the app's factory.
    env.services.connectorFor = connectorFor;
    // Each request waits a little, as Graph's do, so requests overlap and the 4-in-flight limit matters.
    graph.setLatency(3);
    graph.resetMaxInFlight();
    sync = env.supervisor({ connectorFor });
    sync.start();
  }, 60_000);

  afterAll(async () => {
    await env?.close();
    await world?.stop();
  });

  it('imports thousands of messages exactly as the server holds them, never more than 4 requests in flight', async () => {
    await waitFor('import', async () => (await countMessages(env, mailboxId)) === INBOX_COUNT + SENT_COUNT, 240_000, 200);
    await waitFor('watching', async () => (await sync.status(mailboxId)).state === 'watching', 30_000);
    expect(await storedView()).toEqual(serverView());
    expect(world.graph.maxInFlight).toBeLessThanOrEqual(4);
    expect(world.graph.requests.filter((r) => r.status === 429)).toEqual([]);
    // Immutable ids asked for in every request, so a move never looks like a new message.
    expect(world.graph.requests.every((r) => /IdType="ImmutableId"/.test(r.prefer ?? ''))).toBe(true);
    world.graph.setLatency(0);
  }, 300_000);

  it('stores new mail within seconds (delta polling)', async () => {
    const before = await countMessages(env, mailboxId);
    const started = Date.now();
    world.graph.deliver(USER, 'inbox', fixtureMessage(1, { tag: 'live' }));
    await waitFor('new mail', async () => (await countMessages(env, mailboxId)) === before + 1, 15_000, 50);
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 20_000);

  it('sends read, flag, move and delete to the server, and takes the server’s back', async () => {
    const target = (await rowOf('<graph-5@example.com>'))!;
    const res = await env.admin.patch(`/api/v1/messages/${target.id}`, { seen: true, flagged: true });
    expect(res.statusCode).toBe(200);
    const onServer = () => world.graph.state(USER).find((m) => m.internetMessageId === '<graph-5@example.com>')!;
    expect(onServer()).toMatchObject({ isRead: true, flagStatus: 'flagged', folder: 'inbox' });

    const archive = await env.db.db
      .selectFrom('mail_folders')
      .select('id')
      .where('mailbox_id', '=', mailboxId)
      .where('role', '=', 'archive')
      .executeTakeFirstOrThrow();
    expect((await env.admin.patch(`/api/v1/messages/${target.id}`, { folderId: archive.id })).statusCode).toBe(200);
    expect(onServer().folder).toBe('archive');
    expect((await env.admin.delete(`/api/v1/messages/${target.id}`)).json()).toMatchObject({ outcome: 'moved_to_trash' });
    expect(onServer().folder).toBe('deleteditems');
    expect((await env.admin.delete(`/api/v1/messages/${target.id}`)).json()).toMatchObject({ outcome: 'expunged' });
    expect(world.graph.state(USER).some((m) => m.internetMessageId === '<graph-5@example.com>')).toBe(false);

    // Server → Tidings: Outlook marks one read, flags another, moves a third and deletes a fourth.
    const mailbox = world.graph.mailbox(USER);
    const byHeader = (h: string) => [...mailbox.messages.values()].find((m) => m.internetMessageId === h)!;
    mailbox.update(byHeader('<graph-7@example.com>'), { isRead: true });
    mailbox.update(byHeader('<graph-8@example.com>'), { flagStatus: 'flagged' });
    mailbox.move(byHeader('<graph-10@example.com>'), 'archive');
    mailbox.remove(byHeader('<graph-11@example.com>'));
    await waitFor('server changes stored', async () => (await storedView()).join('\n') === serverView().join('\n'), 20_000, 100);
    expect(await rowOf('<graph-7@example.com>')).toMatchObject({ seen: true });
    expect(await rowOf('<graph-8@example.com>')).toMatchObject({ flagged: true });
    expect(await rowOf('<graph-10@example.com>')).toMatchObject({ role: 'archive' });
    expect(await rowOf('<graph-11@example.com>')).toBeUndefined();
  }, 60_000);

  it('lists a folder again after its delta token expired (410), without duplicates', async () => {
    const requestsBefore = world.graph.requests.length;
    world.graph.expireDeltaTokens(USER);
    world.graph.deliver(USER, 'inbox', fixtureMessage(2, { tag: 'after-410' }));
    await waitFor('mail after the reset', async () => !!(await rowOf('<after-410-2@example.com>')), 30_000, 100);
    await waitFor('in step', async () => (await storedView()).join('\n') === serverView().join('\n'), 30_000, 200);
    expect(world.graph.requests.slice(requestsBefore).some((r) => r.status === 410)).toBe(true);
    const headers = (await stored()).map((r) => r.message_id_header);
    expect(new Set(headers).size).toBe(headers.length);
  }, 60_000);

  it('waits as long as Retry-After asks when throttled', async () => {
    const requestsBefore = world.graph.requests.length;
    world.graph.throttle({ status: 429, retryAfterSeconds: 2, count: 2 });
    world.graph.deliver(USER, 'inbox', fixtureMessage(3, { tag: 'throttled' }));
    await waitFor('mail after throttling', async () => !!(await rowOf('<throttled-3@example.com>')), 30_000, 100);
    const after = world.graph.requests.slice(requestsBefore);
    const throttledAt = after.filter((r) => r.status === 429).map((r) => r.at);
    expect(throttledAt.length).toBeGreaterThan(0);
    // After each 429 nothing is asked until Retry-After has passed (requests already on the wire when it
    // came are answered at once, hence the 100 ms).
    for (const t of throttledAt) expect(after.filter((r) => r.at > t + 100 && r.at < t + 1_900)).toEqual([]);
    expect(after.some((r) => r.at >= throttledAt[0] + 1_900 && r.status === 200)).toBe(true);
  }, 40_000);

  it('stores a source in a folder (append: Graph makes it a draft) with its flags, and sync picks it up', async () => {
    const row = await env.db.db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow();
    const sent = await env.db.db
      .selectFrom('mail_folders')
      .select('remote_id')
      .where('mailbox_id', '=', mailboxId)
      .where('role', '=', 'sent')
      .executeTakeFirstOrThrow();
    const connector = await connectorFor(row);
    try {
      await connector.connect();
      const { remoteId } = await connector.append(sent.remote_id, fixtureMessage(5, { tag: 'appended' }), ['seen', 'flagged']);
      expect(world.graph.state(USER).find((m) => m.id === remoteId)).toMatchObject({
        folder: 'sentitems',
        isRead: true,
        flagStatus: 'flagged',
      });
    } finally {
      await connector.close();
    }
    await waitFor('appended mail stored', async () => !!(await rowOf('<appended-5@example.com>')), 20_000, 100);
  }, 30_000);

  for (const [mode, said] of [
    ['malformed-json', /not JSON/],
    ['huge-body', /larger than/],
    ['endless-nextlink', /do not end/],
  ] as const) {
    it(`fails a round with a clear error on a hostile answer (${mode}), then recovers`, async () => {
      world.graph.setHostile(mode);
      await waitFor(`${mode} reported`, async () => said.test((await sync.status(mailboxId)).lastError ?? ''), 60_000, 100);
      expect((await sync.status(mailboxId)).lastError).toMatch(/^Graph /);
      world.graph.setHostile(null);
      world.graph.deliver(USER, 'inbox', fixtureMessage(4, { tag: `after-${mode}` }));
      await waitFor('recovered', async () => !!(await rowOf(`<after-${mode}-4@example.com>`)), 30_000, 100);
      expect(await storedView()).toEqual(serverView());
    }, 100_000);
  }
});
