import { describe, expect, it } from 'vitest';
import { rawMessage } from '../../../test/support/corpus.ts';
import { appendMany, asUser } from '../../../test/support/imap.ts';
import { imapConnectorFixture } from '../../../test/support/imap-connectors.ts';
import type { ImapConnectorOptions } from './client-options.ts';

/** What the engine hands the IMAP connector as plain values, and what comes back instead of calls into it. */
const imap = imapConnectorFixture('fc', 6);

/** Three messages and a cursor after them; then `change` runs in another session. */
async function afterCursor(opts: ImapConnectorOptions, change: (c: Parameters<Parameters<typeof asUser>[3]>[0]) => Promise<void>) {
  const user = imap.freshUser();
  await appendMany(imap.dovecot, user.user, user.pass, 'INBOX', 'fc', 3);
  const connector = imap.connectorFor(user.user, user.pass, opts);
  const first = await connector.changesSince('INBOX', null);
  await asUser(imap.dovecot, user.user, user.pass, async (c) => {
    await c.mailboxOpen('INBOX');
    await change(c);
  });
  return { connector, cursor: first.nextCursor };
}

describe('knownRemoteIds offered on request', () => {
  it('without QRESYNC, a deletion is a question first, then answered from the list given', async () => {
    const { connector, cursor } = await afterCursor({ disableQresync: true }, async (c) => {
      await c.messageDelete('2', { uid: true });
    });
    const asked = await connector.changesSince('INBOX', cursor, { knownRemoteIds: 'on request' });
    expect(asked.needsKnownRemoteIds).toBe(true);
    // Taken as an answer it changes nothing: no refs, the cursor as given.
    expect([asked.added, asked.changed, asked.removed]).toEqual([[], [], []]);
    expect(asked.nextCursor).toEqual(cursor);
    const answered = await connector.changesSince('INBOX', cursor, { knownRemoteIds: ['1', '2', '3'] });
    expect(answered.needsKnownRemoteIds).toBeUndefined();
    expect(answered).toMatchObject({ kind: 'incremental', added: [], removed: ['2'], total: 2 });
  });

  it('asks too when new mail hides the deletion in the count (no modseq at all)', async () => {
    const { connector, cursor } = await afterCursor({ disableModseq: true }, async (c) => {
      await c.messageDelete('3', { uid: true });
      await c.append('INBOX', rawMessage('fc', 4));
    });
    expect((await connector.changesSince('INBOX', cursor, { knownRemoteIds: 'on request' })).needsKnownRemoteIds).toBe(true);
    const answered = await connector.changesSince('INBOX', cursor, { knownRemoteIds: ['1', '2', '3'] });
    expect(answered.added.map((r) => r.remoteId)).toEqual(['4']);
    expect(answered.removed).toEqual(['3']);
  });

  it('never asks when nothing went, nor on a server with QRESYNC', async () => {
    const quiet = await afterCursor({ disableQresync: true }, async (c) => {
      await c.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
    });
    const flagged = await quiet.connector.changesSince('INBOX', quiet.cursor, { knownRemoteIds: 'on request' });
    expect(flagged.needsKnownRemoteIds).toBeUndefined();
    expect(flagged.changed.map((r) => [r.remoteId, r.flags])).toEqual([['1', ['flagged']]]);

    const qresync = await afterCursor({}, async (c) => {
      await c.messageDelete('1', { uid: true });
    });
    const vanished = await qresync.connector.changesSince('INBOX', qresync.cursor, { knownRemoteIds: 'on request' });
    expect(vanished.needsKnownRemoteIds).toBeUndefined();
    expect(vanished.removed).toEqual(['1']);
  });
});

describe('a full listing with a window', () => {
  it('gives the messages before the window apart, with their Message-IDs, unless the engine holds nothing', async () => {
    const user = imap.freshUser();
    await asUser(imap.dovecot, user.user, user.pass, async (c) => {
      for (let i = 0; i < 2; i++) await c.append('INBOX', rawMessage('old', i), [], new Date(Date.UTC(2020, 0, 1 + i)));
      await c.append('INBOX', rawMessage('new', 0), [], new Date(Date.UTC(2026, 5, 1)));
    });
    const connector = imap.connectorFor(user.user, user.pass);
    const since = new Date(Date.UTC(2025, 0, 1));
    const rebuild = await connector.changesSince('INBOX', null, { since });
    expect(rebuild.kind).toBe('full');
    expect(rebuild.added.map((r) => r.remoteId)).toEqual(['3']);
    expect(rebuild.beforeWindow?.map((r) => [r.remoteId, r.messageId])).toEqual([
      ['2', '<old.1@example.test>'],
      ['1', '<old.0@example.test>'],
    ]);
    expect(rebuild.beforeWindow?.[0].internalDate?.toISOString()).toBe('2020-01-02T00:00:00.000Z');
    const firstImport = await connector.changesSince('INBOX', null, { since, holdsNothing: true });
    expect(firstImport.added.map((r) => r.remoteId)).toEqual(['3']);
    expect(firstImport.beforeWindow).toBeUndefined();
  });
});
