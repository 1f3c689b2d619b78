import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/audit/index.ts';
import type { MailboxRow } from '../../src/mailboxes/tables.ts';
import { assertSyncHostAllowed, type SyncHostCheck } from '../../src/sync/mail-host-check.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database.ts';
import { insertMailbox, insertUser } from '../support/rows.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

/** A resolver where names answer what the test says (as after a DNS change), and nothing else resolves. */
function fakeDns(answers: Record<string, string>): LookupFunction {
  return ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
    const address = answers[hostname];
    if (!address) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  }) as LookupFunction;
}

describe('the sync engine checks the mail host again at each connection', () => {
  let env: SyncEnv;

  beforeAll(async () => {
    // As an operator who did not allow local mail hosts: the harness Dovecot on 127.0.0.1 is one.
    env = await startSyncEnv('pglite', { config: { allowLocalMailHosts: false } });
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  it('does not log in to a saved server that now is a loopback address: the mailbox needs attention', async () => {
    const user = 'moved@example.test';
    const mailboxId = await env.bindMailbox(user, 'moved-password-1');
    await env.dovecot.append(user, 'INBOX', fixtureMessage(1, { tag: 'moved' }));
    const logBefore = (await env.dovecot.readLog()).length;
    env.supervisor().start();
    const row = await waitFor('the mailbox to need attention', async () => {
      const r = await env.db.db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow();
      return r.status === 'needs_attention' ? r : null;
    });
    expect(row.status_reason).toMatch(/127\.0\.0\.1 now resolves to a local address/);
    expect(await countMessages(env, mailboxId)).toBe(0);
    // No connection reached the server, so no login (and no password) either.
    expect((await env.dovecot.readLog()).slice(logBefore)).not.toContain(user);
  });
});

describe.each(databaseKinds)('whose rules a saved mail host is checked under (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('judges a name by what it resolves to now, under the rules of whoever set it', async () => {
    const db = t.db;
    const admin = await insertUser(db, { email: 'admin@example.com', role: 'admin' });
    const member = await insertUser(db, { email: 'member@example.com', role: 'member' });
    const mailboxId = await insertMailbox(db, member, 'member@example.com');
    await db.updateTable('mailboxes').set({ imap_host: 'mail.example.net' }).where('id', '=', mailboxId).execute();
    const mailbox = async () => db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow();
    const check = (answers: Record<string, string>, settings: Partial<SyncHostCheck['settings']> = {}): SyncHostCheck => ({
      db,
      settings: { allowLocalMailHosts: false, allowPrivateMailHostsForMembers: false, ...settings },
      lookup: fakeDns(answers),
    });
    const verdict = async (c: SyncHostCheck, row?: MailboxRow) =>
      assertSyncHostAllowed(row ?? (await mailbox()), c).then(
        () => 'allowed',
        (error) => error.code as string,
      );
    const onLan = check({ 'mail.example.net': '10.1.2.3' });

    // Bound by the member at a public address, the name now points into the LAN: refused.
    expect(await verdict(check({ 'mail.example.net': '203.0.113.7' }))).toBe('allowed');
    expect(await verdict(onLan)).toBe('host_not_allowed');
    expect(await verdict(check({ 'mail.example.net': '10.1.2.3' }, { allowPrivateMailHostsForMembers: true }))).toBe('allowed');

    // An admin set this server (as binding for the member, or changing it): LAN addresses are theirs to use.
    const act = (actorUserId: string, action: string, detail: Record<string, unknown>) =>
      recordAudit(db, { actorUserId, action, targetType: 'mailbox', targetId: mailboxId, ip: null, detail });
    await act(admin, 'mailbox.bind', { email: 'member@example.com' });
    expect(await verdict(onLan)).toBe('allowed');
    // The member changing something else leaves the server the admin's; changing the server makes it theirs.
    await act(member, 'mailbox.update', { changed: ['visibility'] });
    expect(await verdict(onLan)).toBe('allowed');
    await act(member, 'mailbox.update', { changed: ['imap', 'password'] });
    expect(await verdict(onLan)).toBe('host_not_allowed');

    // Loopback and the metadata service are nobody's unless the operator allows local mail hosts.
    await act(admin, 'mailbox.update', { changed: ['imap', 'password'] });
    expect(await verdict(check({ 'mail.example.net': '169.254.169.254' }))).toBe('host_not_allowed');
    expect(await verdict(check({ 'mail.example.net': '::1' }))).toBe('host_not_allowed');
    expect(await verdict(check({ 'mail.example.net': '127.0.0.1' }, { allowLocalMailHosts: true }))).toBe('allowed');
    // A name that does not resolve is the connection's to report and retry, as before.
    expect(await verdict(check({}))).toBe('allowed');
  });
});

describe('the connect-time host check reads whose rules apply only when they can change the verdict', () => {
  it('judges public, local and members-allowed private addresses without reading the database', async () => {
    const untouchable = new Proxy(
      {},
      {
        get() {
          throw new Error('the database was asked');
        },
      },
    ) as SyncHostCheck['db'];
    const mailbox = { id: 'mb-1', imap_host: 'mail.example.net', created_by: null, owner_user_id: 'u-1' } as unknown as MailboxRow;
    const verdict = async (address: string, settings: Partial<SyncHostCheck['settings']> = {}) =>
      assertSyncHostAllowed(mailbox, {
        db: untouchable,
        settings: { allowLocalMailHosts: false, allowPrivateMailHostsForMembers: false, ...settings },
        lookup: fakeDns({ 'mail.example.net': address }),
      }).then(
        () => 'allowed',
        (error) => (error.code as string) ?? String(error),
      );
    expect(await verdict('203.0.113.7')).toBe('allowed');
    expect(await verdict('127.0.0.1')).toBe('host_not_allowed');
    expect(await verdict('10.1.2.3', { allowPrivateMailHostsForMembers: true })).toBe('allowed');
    // Where the setter's role decides, it is read.
    expect(await verdict('10.1.2.3')).toMatch(/the database was asked/);
  });
});
