import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangesOptions, FolderChanges, MailConnector } from '../../src/connectors/types.ts';
import { mailConnectorFactory, syncHostChecker } from '../../src/sync/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { asUser } from '../support/imap.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'kri@example.test';
const PASS = 'kri-password-1';

interface Call {
  folder: string;
  offered: ChangesOptions['knownRemoteIds'];
  answer: FolderChanges;
}

/**
 * A server that cannot report deletions (no QRESYNC): the engine hands the connector the remote ids it
 * holds only when the connector asks for them, as data in a second call, never through a callback.
 */
describe('the remote ids the engine holds, given on request (Dovecot without QRESYNC, PGlite)', () => {
  let env: SyncEnv;
  let mailboxId: string;
  const calls: Call[] = [];
  const inbox = () => calls.filter((c) => c.folder === 'INBOX');

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    mailboxId = await env.bindMailbox(USER, PASS);
    for (let i = 0; i < 4; i++) await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'kri' }));
    const factory = mailConnectorFactory({
      vault: env.services.vault,
      connector: { disableQresync: true },
      checkHost: syncHostChecker({ db: env.db.db, settings: env.config }),
    });
    const recording = async (mailbox: Parameters<typeof factory>[0]): Promise<MailConnector> => {
      const connector = await factory(mailbox);
      const changesSince = connector.changesSince.bind(connector);
      connector.changesSince = async (folder, cursor, opts) => {
        const answer = await changesSince(folder, cursor, opts);
        calls.push({ folder, offered: opts?.knownRemoteIds, answer });
        return answer;
      };
      return connector;
    };
    env.supervisor({ connectorFor: recording }).start();
    await waitFor('the import', async () => (await countMessages(env, mailboxId)) === 4);
  });
  afterAll(async () => env?.close());

  it('offers them and gives them only after the connector asked', async () => {
    const before = inbox().length;
    expect(inbox().every((c) => c.offered === 'on request')).toBe(true);
    await asUser(env.dovecot, USER, PASS, async (c) => {
      await c.mailboxOpen('INBOX');
      await c.messageDelete('2', { uid: true });
    });
    await waitFor('the deletion', async () => (await countMessages(env, mailboxId)) === 3);
    const rounds = inbox().slice(before);
    const given = rounds.findIndex((c) => Array.isArray(c.offered));
    expect(given).toBeGreaterThan(0);
    expect(rounds[given - 1]).toMatchObject({ offered: 'on request', answer: { needsKnownRemoteIds: true } });
    expect([...(rounds[given].offered as string[])].sort()).toEqual(['1', '2', '3', '4']);
    expect(rounds[given].answer).toMatchObject({ kind: 'incremental', removed: ['2'] });
    expect(rounds[given].answer.needsKnownRemoteIds).toBeUndefined();
  });

  it('does not load them for a round in which nothing went', async () => {
    const before = inbox().length;
    await env.dovecot.append(USER, 'INBOX', fixtureMessage(9, { tag: 'kri' }));
    await waitFor('the new message', async () => (await countMessages(env, mailboxId)) === 4);
    const rounds = inbox().slice(before);
    expect(rounds.length).toBeGreaterThan(0);
    expect(rounds.every((c) => c.offered === 'on request' && !c.answer.needsKnownRemoteIds)).toBe(true);
  });
});
