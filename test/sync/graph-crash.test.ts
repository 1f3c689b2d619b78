// A Graph import killed with SIGKILL part-way is taken over by another process from where it stopped:
// the store ends exactly equal to the Graph server, nothing lost, nothing doubled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailConnectorFactory } from '../../src/sync/connector-factory.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { bindGraphMailbox, startGraphWorld, type GraphWorld } from '../support/graph-mailbox.ts';
import { startSyncChild } from '../support/sync-child.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'lynne@contoso.example';
const N = 400;

describe('a Graph import survives kill -9 (PostgreSQL, Graph harness)', () => {
  let world: GraphWorld;
  let env: SyncEnv;

  beforeAll(async () => {
    world = await startGraphWorld(USER);
    env = await startSyncEnv('postgres');
    for (let i = 0; i < N; i++)
      world.graph.deliver(USER, 'inbox', fixtureMessage(i, { tag: 'kill', attachmentBytes: i % 10 === 0 ? 20_000 : 0 }));
  }, 60_000);

  afterAll(async () => {
    await env?.close();
    await world?.stop();
  });

  it('is taken over after SIGKILL and ends exactly equal to the server', async () => {
    const { mailboxId, tokens } = await bindGraphMailbox(env.db.db, env.services.vault, world, { ownerUserId: env.adminId, email: USER });
    const row = await env.db.db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow();
    // The child signs in with this token; the parent's source keeps refreshing (Microsoft rotates refresh tokens).
    const accessToken = await tokens.accessTokenFor(row);
    world.graph.setLatency(5);
    const { child, output } = startSyncChild({
      databaseUrl: env.db.url!,
      dataDir: env.config.dataDir,
      masterKey: 'test-master-key-0123456789abcdef',
      holder: 'graph-child',
      accessToken,
    });
    try {
      await waitFor('the child to store some messages', async () => (await countMessages(env, mailboxId)) >= 60, 60_000, 20);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const partial = await countMessages(env, mailboxId);
    expect(partial, output()).toBeLessThan(N);
    world.graph.setLatency(0);

    const s = env.supervisor({
      holder: 'parent',
      connectorFor: mailConnectorFactory({ vault: env.services.vault, tokens, checkHost: async () => undefined }),
    });
    s.start();
    await waitFor('takeover and full import', async () => (await countMessages(env, mailboxId)) === N, 60_000, 50);
    const rows = await env.db.db
      .selectFrom('messages')
      .select(['message_id_header', 'stable_id'])
      .where('mailbox_id', '=', mailboxId)
      .execute();
    const onServer = world.graph.state(USER);
    expect(rows.map((r) => r.message_id_header).sort()).toEqual(onServer.map((m) => m.internetMessageId).sort());
    expect(rows.map((r) => r.stable_id).sort()).toEqual(onServer.map((m) => m.id).sort());
    // Resumed, not restarted: what the dead process stored was not fetched again.
    expect((await s.status(mailboxId)).counters.fetched).toBeLessThanOrEqual(N - partial + 10);
    const members = await env.db.db
      .selectFrom('message_folders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(members.n)).toBe(N);
  }, 120_000);
});
