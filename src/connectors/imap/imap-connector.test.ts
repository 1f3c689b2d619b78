import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectorError, type FolderChanges } from '../types.ts';
import { createImapConnector, type ImapConnector } from './index.ts';
import type { ImapConnectorOptions } from './client-options.ts';
import { rawMessage } from '../../../test/support/corpus.ts';
import { appendMany, asUser, settingsFor } from '../../../test/support/imap.ts';
import { imapConnectorFixture } from '../../../test/support/imap-connectors.ts';
import { waitFor } from '../../../test/support/wait.ts';

const imap = imapConnectorFixture('u', 20);

/** Sessions the user opened so far (Dovecot logs each login). */
async function loginsOf(user: string): Promise<number> {
  return (await imap.dovecot.readLog()).split(`Login: user=<${user}>`).length - 1;
}

/** Sessions of the user that ended (Dovecot logs each logout). */
async function loggedOut(user: string): Promise<number> {
  return (await imap.dovecot.readLog()).split('\n').filter((l) => l.includes(`imap(${user})`) && l.includes('Logged out')).length;
}

describe('folders', () => {
  it('lists folders with SPECIAL-USE roles and keeps a Chinese name intact', async () => {
    const { user, pass } = imap.freshUser();
    await imap.dovecot.createFolder(user, '客户/重要');
    await imap.dovecot.createFolder(user, '已发送'); // a name-table match, but \Sent is already claimed
    const connector = imap.connectorFor(user, pass);
    const folders = await connector.listFolders();
    const byPath = new Map(folders.map((f) => [f.path, f]));
    expect(byPath.get('INBOX')?.role).toBe('inbox');
    expect(byPath.get('Sent')?.role).toBe('sent');
    expect(byPath.get('Drafts')?.role).toBe('drafts');
    expect(byPath.get('Trash')?.role).toBe('trash');
    expect(byPath.get('Junk')?.role).toBe('junk');
    expect(byPath.get('Archive')?.role).toBe('archive');
    expect(byPath.get('已发送')?.role).toBeNull();
    expect(byPath.get('客户/重要')).toMatchObject({ id: '客户/重要', name: '重要', delimiter: '/', selectable: true, role: null });
  });

  it('round-trips messages through a folder with a Chinese name', async () => {
    const { user, pass } = imap.freshUser();
    await imap.dovecot.createFolder(user, '客户');
    const raw = rawMessage('zh', 1);
    await imap.dovecot.append(user, '客户', raw);
    const connector = imap.connectorFor(user, pass);
    const changes = await connector.changesSince('客户', null);
    expect(changes.kind).toBe('full');
    expect(changes.added).toHaveLength(1);
    const fetched = [];
    for await (const m of connector.fetchMessages(
      '客户',
      changes.added.map((r) => r.remoteId),
    ))
      fetched.push(m);
    expect(fetched[0].source.equals(raw)).toBe(true);
    const { remoteId } = await connector.append('客户', rawMessage('zh', 2), ['seen']);
    expect(remoteId).toBe('2');
  });
});

describe('changesSince', () => {
  it('lists everything newest first, or only the backfill window with `since`', async () => {
    const { user, pass } = imap.freshUser();
    await asUser(imap.dovecot, user, pass, async (c) => {
      for (let i = 0; i < 3; i++) await c.append('INBOX', rawMessage('old', i), [], new Date(Date.UTC(2020, 0, 1 + i)));
      for (let i = 0; i < 2; i++) await c.append('INBOX', rawMessage('new', i), ['\\Seen'], new Date(Date.UTC(2026, 5, 1 + i)));
    });
    const connector = imap.connectorFor(user, pass);
    const all = await connector.changesSince('INBOX', null);
    expect(all.added.map((r) => r.remoteId)).toEqual(['5', '4', '3', '2', '1']);
    expect(all.added[0]).toMatchObject({ flags: ['seen'], stableId: null });
    expect(all.added[0].size).toBeGreaterThan(100);
    expect(all.nextCursor).toMatchObject({ uidNext: '6', total: 5 });
    const recent = await connector.changesSince('INBOX', null, { since: new Date(Date.UTC(2025, 0, 1)) });
    expect(recent.kind).toBe('full');
    expect(recent.added.map((r) => r.remoteId)).toEqual(['5', '4']);
    expect(recent.added[1].internalDate?.toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });

  /** Appends 3, takes a cursor, then adds one, flags #1 and deletes #2 from another session. */
  async function scenario(
    opts: ImapConnectorOptions,
  ): Promise<{ connector: ImapConnector; next: (o?: Parameters<ImapConnector['changesSince']>[2]) => Promise<FolderChanges> }> {
    const { user, pass } = imap.freshUser();
    await appendMany(imap.dovecot, user, pass, 'INBOX', 'inc', 3);
    const connector = imap.connectorFor(user, pass, opts);
    const first = await connector.changesSince('INBOX', null);
    await asUser(imap.dovecot, user, pass, async (c) => {
      await c.append('INBOX', rawMessage('inc', 99));
      await c.mailboxOpen('INBOX');
      await c.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
      await c.messageDelete('2', { uid: true });
    });
    return { connector, next: (o) => connector.changesSince('INBOX', first.nextCursor, o) };
  }

  it('QRESYNC: added, changed and removed in one round', async () => {
    const { connector, next } = await scenario({});
    const changes = await next();
    expect(connector.capabilities).toMatchObject({ qresync: true, condstore: true, idle: true, move: true, gmail: false });
    expect(changes.kind).toBe('incremental');
    expect(changes.added.map((r) => r.remoteId)).toEqual(['4']);
    expect(changes.changed.map((r) => [r.remoteId, r.flags])).toEqual([['1', ['flagged']]]);
    expect(changes.removed).toEqual(['2']);
    expect(changes.total).toBe(3);
    // Nothing happened since: an empty round.
    const again = await connector.changesSince('INBOX', changes.nextCursor);
    expect([again.added, again.changed, again.removed]).toEqual([[], [], []]);
  });

  it('CONDSTORE without QRESYNC: removals from knownRemoteIds, else a full listing', async () => {
    const { connector, next } = await scenario({ disableQresync: true });
    const changes = await next({ knownRemoteIds: ['1', '2', '3'] });
    expect(connector.capabilities).toMatchObject({ qresync: false, condstore: true });
    expect(changes.kind).toBe('incremental');
    expect(changes.added.map((r) => r.remoteId)).toEqual(['4']);
    expect(changes.changed.map((r) => r.remoteId)).toEqual(['1']);
    expect(changes.removed).toEqual(['2']);
    const blind = await next();
    expect(blind.kind).toBe('full');
    expect(blind.added.map((r) => r.remoteId)).toEqual(['4', '3', '1']);
  });

  it('no modseq at all: every message comes back as changed', async () => {
    const { connector, next } = await scenario({ disableModseq: true });
    const changes = await next({ knownRemoteIds: ['1', '2', '3'] });
    expect(connector.capabilities).toMatchObject({ qresync: false, condstore: false });
    expect(changes.added.map((r) => r.remoteId)).toEqual(['4']);
    expect(changes.changed.map((r) => [r.remoteId, r.flags])).toEqual([
      ['1', ['flagged']],
      ['3', []],
    ]);
    expect(changes.removed).toEqual(['2']);
  });

  it('a new UIDVALIDITY (folder deleted and recreated) gives a full listing', async () => {
    const { user, pass } = imap.freshUser();
    await imap.dovecot.createFolder(user, 'Projects');
    await appendMany(imap.dovecot, user, pass, 'Projects', 'uv', 2);
    const connector = imap.connectorFor(user, pass);
    const first = await connector.changesSince('Projects', null);
    await imap.dovecot.deleteFolder(user, 'Projects');
    await imap.dovecot.createFolder(user, 'Projects');
    await imap.dovecot.append(user, 'Projects', rawMessage('uv', 9));
    const changes = await connector.changesSince('Projects', first.nextCursor);
    expect(changes.kind).toBe('full');
    expect(changes.nextCursor.uidValidity).not.toBe(first.nextCursor.uidValidity);
    expect(changes.added.map((r) => r.remoteId)).toEqual(['1']);
  });
});

describe('messages', () => {
  it('fetchMessages streams 300 messages with their exact bytes', async () => {
    const { user, pass } = imap.freshUser();
    const sent = await appendMany(imap.dovecot, user, pass, 'INBOX', 'bulk', 300, 2_000);
    const connector = imap.connectorFor(user, pass);
    const ids = sent.map((_, i) => String(i + 1));
    const got = new Map<string, Buffer>();
    for await (const m of connector.fetchMessages('INBOX', ids)) {
      got.set(m.ref.remoteId, m.source);
      // Downloads have their own connection: other calls from inside the loop do not wait for it.
      if (got.size === 1) await connector.setFlags('INBOX', ['300'], { add: ['seen'] });
    }
    expect(got.size).toBe(300);
    for (const [i, raw] of sent.entries()) expect(got.get(String(i + 1))?.equals(raw)).toBe(true);
    expect((await connector.changesSince('INBOX', null)).added[0]).toMatchObject({ remoteId: '300', flags: ['seen'] });
  });

  it('fetchMessages returns a message that arrived after its connection selected the folder', async () => {
    // The download connection keeps INBOX selected between calls; a UID FETCH there only sees
    // messages the session knows of, so without a fresh view the new one silently did not come back.
    const { user, pass } = imap.freshUser();
    await appendMany(imap.dovecot, user, pass, 'INBOX', 'stale', 2);
    const connector = imap.connectorFor(user, pass);
    const fetchIds = async (ids: string[]) => {
      const out: string[] = [];
      for await (const m of connector.fetchMessages('INBOX', ids)) out.push(m.ref.remoteId);
      return out;
    };
    const first = await connector.changesSince('INBOX', null);
    expect(await fetchIds(first.added.map((r) => r.remoteId))).toEqual(['1', '2']);
    await asUser(imap.dovecot, user, pass, (c) => c.append('INBOX', rawMessage('stale', 3)));
    const second = await connector.changesSince('INBOX', first.nextCursor);
    expect(second.added.map((r) => r.remoteId)).toEqual(['3']);
    expect(await fetchIds(['3'])).toEqual(['3']);
    // Known UIDs still come back without a round trip of their own, and twice in a row is fine.
    expect(await fetchIds(['1', '3'])).toEqual(['1', '3']);
  });

  it('fetchMessages yields every other message when the server cannot send one', async () => {
    const { user, pass } = imap.freshUser();
    await appendMany(imap.dovecot, user, pass, 'INBOX', 'bad', 5);
    // Message 3 ("bad 2") unreadable to Dovecot: it still lists it, then drops the connection on FETCH.
    const maildir = path.join(imap.dovecot.dir, 'home', user, 'Maildir');
    const bad: string[] = [];
    for (const sub of ['cur', 'new']) {
      for (const f of await fs.readdir(path.join(maildir, sub))) {
        const file = path.join(maildir, sub, f);
        if (/^Subject: bad 2\r?$/m.test(await fs.readFile(file, 'utf8'))) bad.push(file); // maildir keeps LF endings
      }
    }
    expect(bad).toHaveLength(1);
    await fs.chmod(bad[0], 0);
    const connector = imap.connectorFor(user, pass);
    expect((await connector.changesSince('INBOX', null)).added).toHaveLength(5);
    const got: string[] = [];
    for await (const m of connector.fetchMessages('INBOX', ['1', '2', '3', '4', '5'])) got.push(m.ref.remoteId);
    expect(got.sort()).toEqual(['1', '2', '4', '5']);
  });

  it('setFlags, move and append are visible to another session', async () => {
    const { user, pass } = imap.freshUser();
    await appendMany(imap.dovecot, user, pass, 'INBOX', 'ops', 2);
    const connector = imap.connectorFor(user, pass);
    await connector.setFlags('INBOX', ['1'], { add: ['seen', 'flagged'] });
    await connector.setFlags('INBOX', ['1'], { remove: ['flagged'] });
    const moved = await connector.move('INBOX', ['2'], 'Archive');
    expect(moved).toEqual(new Map([['2', '1']]));
    const { remoteId } = await connector.append('Sent', rawMessage('ops', 9), ['seen']);
    expect(remoteId).toBe('1');
    await asUser(imap.dovecot, user, pass, async (c) => {
      await c.mailboxOpen('INBOX');
      const inbox = await c.fetchAll('1:*', { uid: true, flags: true, envelope: true });
      expect(inbox.map((m) => [m.uid, [...(m.flags ?? [])]])).toEqual([[1, ['\\Seen']]]);
      await c.mailboxOpen('Archive');
      const archive = await c.fetchAll('1:*', { envelope: true });
      expect(archive.map((m) => m.envelope?.messageId)).toEqual(['<ops.1@example.test>']);
      expect(await c.status('Sent', { messages: true })).toMatchObject({ messages: 1 });
    });
    await connector.expunge('INBOX', ['1']);
    expect(await connector.folderStatus('INBOX')).toMatchObject({ total: 0, uidNext: '3' });
  });
});

describe('watch and errors', () => {
  it('a wrong password is auth_failed and reported once to onAuthFailure', async () => {
    const { user } = imap.freshUser();
    const seen: ConnectorError[] = [];
    const logged: string[] = [];
    const capture = (obj: object, msg?: string): void => {
      logged.push(JSON.stringify([obj, msg]));
    };
    const logger = { debug: capture, warn: capture, error: capture };
    const connector = imap.connectorFor(user, 'not-the-password', { onAuthFailure: (e) => seen.push(e), logger });
    const err = await connector.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('auth_failed');
    expect((err as ConnectorError).message).not.toContain('not-the-password');
    expect(seen).toHaveLength(1);
    await expect(
      connector.watch(
        'INBOX',
        () => {},
        () => {},
      ),
    ).rejects.toMatchObject({ code: 'auth_failed' });
    expect(seen).toHaveLength(2);
    expect(logged.join('\n')).not.toContain('not-the-password');
  });

  it('an unpinned self-signed certificate is tls_failed; plaintext needs allowPlaintext', async () => {
    const { user, pass } = imap.freshUser();
    const unpinned = createImapConnector({ ...settingsFor(imap.dovecot, user, pass), pinnedCertPem: null });
    imap.closeAfter(unpinned);
    await expect(unpinned.connect()).rejects.toMatchObject({ code: 'tls_failed' });
    const plain = createImapConnector({ ...settingsFor(imap.dovecot, user, pass), port: imap.dovecot.imapPort, security: 'plain' });
    await expect(plain.connect()).rejects.toMatchObject({ code: 'tls_failed' });
    const viaStarttls = createImapConnector({
      ...settingsFor(imap.dovecot, user, pass),
      port: imap.dovecot.imapPort,
      security: 'starttls',
    });
    imap.closeAfter(viaStarttls);
    expect((await viaStarttls.listFolders()).some((f) => f.role === 'inbox')).toBe(true);
  });

  it('watch reports each append from another client; a restart is connection_lost', async () => {
    const { user, pass } = imap.freshUser();
    const connector = imap.connectorFor(user, pass);
    let notified: (() => void) | undefined;
    const lost = new Promise<ConnectorError>((resolve, reject) => {
      void connector
        .watch(
          'INBOX',
          (n) => {
            if (n.kind === 'exists') notified?.();
          },
          resolve,
        )
        .catch(reject);
    });
    await new Promise((r) => setTimeout(r, 300)); // let IDLE start
    const latencies: number[] = [];
    await asUser(imap.dovecot, user, pass, async (c) => {
      for (let i = 0; i < 3; i++) {
        const arrived = new Promise<void>((resolve) => {
          notified = resolve;
        });
        const start = performance.now();
        await c.append('INBOX', rawMessage('watch', i));
        await arrived;
        latencies.push(performance.now() - start);
      }
    });
    console.log(`watch: new-mail notification after APPEND in ${latencies.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    await imap.dovecot.restart();
    const error = await lost;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe('connection_lost');
    // The command connection was dropped too; the next call opens a new one.
    expect((await connector.folderStatus('INBOX')).total).toBe(3);
  });

  it('an unused command connection is logged out, and the next command opens another', async () => {
    const { user, pass } = imap.freshUser();
    const connector = imap.connectorFor(user, pass, { idleCloseMs: 200 });
    await connector.listFolders();
    await connector.folderStatus('INBOX');
    expect(await loginsOf(user)).toBe(1); // busy within idleCloseMs: one connection
    await waitFor('the unused connection to be logged out', async () => (await loggedOut(user)) === 1, 10_000);
    expect((await connector.folderStatus('INBOX')).total).toBe(0);
    expect(await loginsOf(user)).toBe(2);
  });

  it('STATUS of another folder goes over the watch connection: no connection opened for it', async () => {
    const { user, pass } = imap.freshUser();
    const connector = imap.connectorFor(user, pass, { idleCloseMs: 200 });
    await connector.connect();
    const watcher = await connector.watch(
      'INBOX',
      () => undefined,
      () => undefined,
    );
    await waitFor('the unused command connection to be logged out', async () => (await loggedOut(user)) === 1, 10_000);
    const logins = await loginsOf(user);
    await imap.dovecot.append(user, 'Archive', rawMessage('status', 1));
    expect((await connector.folderStatus('Archive')).total).toBe(1);
    expect((await connector.folderStatus('Sent')).total).toBe(0);
    expect(await loginsOf(user)).toBe(logins);
    // The watched folder itself is asked on a command connection (STATUS of the selected folder is not for IDLE's).
    await connector.folderStatus('INBOX');
    expect(await loginsOf(user)).toBe(logins + 1);
    await watcher.close();
  });

  it('after a STATUS over the watch connection, new mail in the watched folder is still reported', async () => {
    const { user, pass } = imap.freshUser();
    const connector = imap.connectorFor(user, pass, { idleCloseMs: 200 });
    let arrivals = 0;
    const watcher = await connector.watch(
      'INBOX',
      (n) => {
        if (n.kind === 'exists') arrivals++;
      },
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 300)); // let IDLE start
    await connector.folderStatus('Archive');
    const started = performance.now();
    await imap.dovecot.append(user, 'INBOX', rawMessage('after-status', 1));
    await waitFor('the new mail to be reported', async () => arrivals === 1, 10_000);
    console.log(`watch after STATUS: new mail reported in ${(performance.now() - started).toFixed(0)} ms`);
    await watcher.close();
  });
});
