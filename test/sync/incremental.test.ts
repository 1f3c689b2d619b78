import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailConnector } from '../../src/connectors/types.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'inc@example.test';
const PASS = 'inc-password-1';

/**
 * After the initial import every round must start from the stored cursor: a round without one lists
 * the whole folder (and re-applies every message's flags), which made each new message cost O(folder).
 */
describe('sync rounds after the import are incremental (Dovecot, PGlite)', () => {
  let env: SyncEnv;
  let mailboxId: string;
  const calls: Array<{ folder: string; cursor: unknown }> = [];

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    mailboxId = await env.bindMailbox(USER, PASS);
    await env.dovecot.createFolder(USER, 'Sent', '\\Sent');
    for (let i = 0; i < 5; i++) await env.dovecot.append(USER, 'INBOX', fixtureMessage(i));
    await env.dovecot.append(USER, 'Sent', fixtureMessage(50, { tag: 'sent' }));
    const recording = async (mailbox: Parameters<SyncEnv['services']['connectorFor']>[0]): Promise<MailConnector> => {
      const connector = await env.services.connectorFor(mailbox);
      const changesSince = connector.changesSince.bind(connector);
      connector.changesSince = (folder, cursor, opts) => {
        calls.push({ folder, cursor });
        return changesSince(folder, cursor, opts);
      };
      return connector;
    };
    env.supervisor({ connectorFor: recording }).start();
    await waitFor('initial import', async () => (await countMessages(env, mailboxId)) === 6);
  });
  afterAll(async () => env?.close());

  it('new mail in the Inbox (IDLE) is synced from the stored cursor', async () => {
    for (let i = 5; i < 8; i++) {
      await env.dovecot.append(USER, 'INBOX', fixtureMessage(i));
      await waitFor(`message ${i}`, async () => (await countMessages(env, mailboxId)) === i + 2);
    }
    const inbox = calls.filter((c) => c.folder === 'INBOX');
    expect(inbox.length).toBeGreaterThanOrEqual(2);
    expect(inbox.filter((c) => c.cursor === null)).toHaveLength(1); // the import only
    expect(inbox.at(-1)!.cursor).toMatchObject({ uidNext: expect.any(String) });
  });

  it('an unchanged folder polled by STATUS is not synced again', async () => {
    const sentBefore = calls.filter((c) => c.folder === 'Sent').length;
    // pollMs is 1 s in the test supervisor: several polls happen in this wait.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(calls.filter((c) => c.folder === 'Sent').length).toBe(sentBefore);
    // And a change there is picked up, from its cursor.
    await env.dovecot.append(USER, 'Sent', fixtureMessage(51, { tag: 'sent' }));
    await waitFor('the new sent message', async () => (await countMessages(env, mailboxId)) === 10);
    const sent = calls.filter((c) => c.folder === 'Sent');
    expect(sent.at(-1)!.cursor).not.toBeNull();
  });
});
