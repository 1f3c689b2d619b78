import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotInstance } from '../harness/index.ts';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { startScriptedImapPeer, type TestPeer } from '../support/peers.ts';

const PASSWORD = 's3cret-Pa55-stored';
const MEMBER_PASSWORD = 'member-Mailbox-7q';

/** A plain IMAP listener that records every command it receives and refuses every login. */
const listener = () =>
  startScriptedImapPeer({
    greeting: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] listener ready',
    reply: (tag) => [`${tag} NO [AUTHENTICATIONFAILED] nope`],
  });

describe.each(databaseKinds)('who may change what on a bound mailbox (%s)', (kind) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let memberId: string;
  let dovecot: DovecotInstance;
  let peer: TestPeer;
  let adminMailbox: string;
  let memberMailbox: string;

  const imap = () => ({ host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' });

  beforeAll(async () => {
    [t, dovecot, peer] = await Promise.all([createTestApp(kind), startDovecot({ tls: 'self-signed' }), listener()]);
    await dovecot.addUsers([
      { email: 'rep@example.test', password: PASSWORD },
      { email: 'member@example.test', password: MEMBER_PASSWORD },
    ]);
    admin = await setupAdmin(t.app);
    ({ client: member, id: memberId } = await signInMember(t, admin, 'm@example.test', 'Member'));
    const bound = await admin.post('/api/v1/mailboxes', {
      email: 'rep@example.test',
      imap: imap(),
      password: PASSWORD,
      trustedCertificates: { imap: dovecot.fingerprint256 },
    });
    expect(bound.statusCode).toBe(201);
    adminMailbox = bound.data.mailbox.id;
    const forMember = await admin.post('/api/v1/mailboxes', {
      email: 'member@example.test',
      imap: imap(),
      password: MEMBER_PASSWORD,
      trustedCertificates: { imap: dovecot.fingerprint256 },
      ownerUserId: memberId,
    });
    expect(forMember.statusCode).toBe(201);
    expect(forMember.data.mailbox.visibility).toBe('private');
    memberMailbox = forMember.data.mailbox.id;
  });
  afterAll(async () => {
    await peer?.close();
    await dovecot?.stop();
    await t?.close();
  });

  describe('a stored secret goes only to the destination it was entered for', () => {
    it('refuses to move the mailbox to another server without the password, and the new server hears no LOGIN', async () => {
      const moved = await admin.patch(`/api/v1/mailboxes/${adminMailbox}`, {
        imap: { host: '127.0.0.1', port: peer.port, security: 'plain' },
        allowPlaintext: true,
      });
      expectProblem(moved, 422, 'secret_required_for_new_destination');
      expect(moved.data.changed).toEqual(['imap']);
      expect(peer.received.filter((c) => /^(LOGIN|AUTHENTICATE)\b/i.test(c))).toEqual([]);
      expect(JSON.stringify(peer.received)).not.toContain(PASSWORD);
      const row = (await admin.get(`/api/v1/mailboxes/${adminMailbox}`)).data.mailbox;
      expect(row.imap).toMatchObject({ host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' });
    });

    it('refuses a new port, security or user name without the password too', async () => {
      for (const body of [
        { imap: { ...imap(), port: dovecot.imapPort } },
        { imap: { ...imap(), security: 'starttls' } },
        { username: 'someone-else@example.test' },
        { smtp: { host: '127.0.0.1', port: peer.port, security: 'plain' }, allowPlaintext: true },
      ]) {
        expectProblem(await admin.patch(`/api/v1/mailboxes/${adminMailbox}`, body), 422, 'secret_required_for_new_destination');
      }
      expect(peer.received).toEqual([]);
    });

    it('tests the new server with the password sent along, never the stored one', async () => {
      const moved = await admin.patch(`/api/v1/mailboxes/${adminMailbox}`, {
        imap: { host: '127.0.0.1', port: peer.port, security: 'plain' },
        allowPlaintext: true,
        password: 'a-new-one-for-the-new-host',
      });
      expectProblem(moved, 422, 'connection_test_failed');
      const logins = peer.received.filter((c) => /^LOGIN\b/i.test(c));
      expect(logins).toEqual(['LOGIN "rep@example.test" "a-new-one-for-the-new-host"']);
      expect(JSON.stringify(peer.received)).not.toContain(PASSWORD);
    });

    it('sending the same server settings again is not a move, and the stored password keeps working', async () => {
      const same = await admin.patch(`/api/v1/mailboxes/${adminMailbox}`, { imap: imap(), username: 'rep@example.test' });
      expect(same.statusCode).toBe(200);
      expect(same.data.test.ok).toBe(true);
    });
  });

  describe('visibility', () => {
    it('an admin may not widen another user’s mailbox', async () => {
      for (const visibility of ['metadata_only', 'subject_only', 'share_all']) {
        const res = await admin.patch(`/api/v1/mailboxes/${memberMailbox}`, { visibility });
        expectProblem(res, 403, 'visibility_widening_not_allowed');
      }
      expect((await admin.get(`/api/v1/mailboxes/${memberMailbox}`)).data.mailbox.visibility).toBe('private');
    });

    it('an admin binding a mailbox for another user cannot choose a wider visibility than private', async () => {
      await dovecot.addUser('second@example.test', MEMBER_PASSWORD);
      const bindFor = (visibility: string) =>
        admin.post('/api/v1/mailboxes', {
          email: 'second@example.test',
          imap: imap(),
          password: MEMBER_PASSWORD,
          trustedCertificates: { imap: dovecot.fingerprint256 },
          ownerUserId: memberId,
          visibility,
        });
      for (const visibility of ['metadata_only', 'subject_only', 'share_all']) {
        const res = await bindFor(visibility);
        expectProblem(res, 403, 'visibility_widening_not_allowed');
        expect(res.data).toMatchObject({ from: 'private', to: visibility });
      }
      const bound = await sql<{ n: number }>`select count(*)::int as n from mailboxes where email = 'second@example.test'`.execute(t.db.db);
      expect(bound.rows[0]?.n).toBe(0);

      const kept = await bindFor('private');
      expect(kept.statusCode).toBe(201);
      expect(kept.data.mailbox.visibility).toBe('private');
      const audit = await sql<{ detail: any }>`
        select detail from audit_log where target_id = ${kept.data.mailbox.id} and action = 'mailbox.bind'`.execute(t.db.db);
      const detail = audit.rows.map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail));
      expect(detail).toEqual([expect.objectContaining({ owner: memberId, visibility: { to: 'private', byOwner: false } })]);
      expect((await admin.delete(`/api/v1/mailboxes/${kept.data.mailbox.id}`)).statusCode).toBeLessThan(300);
    });

    it('the owner may widen, an admin may narrow, and both are audited', async () => {
      const widened = await member.patch(`/api/v1/mailboxes/${memberMailbox}`, { visibility: 'share_all' });
      expect(widened.statusCode).toBe(200);
      expect(widened.data.mailbox.visibility).toBe('share_all');
      const narrowed = await admin.patch(`/api/v1/mailboxes/${memberMailbox}`, { visibility: 'subject_only' });
      expect(narrowed.statusCode).toBe(200);
      expect(narrowed.data.mailbox.visibility).toBe('subject_only');
      expectProblem(
        await admin.patch(`/api/v1/mailboxes/${memberMailbox}`, { visibility: 'share_all' }),
        403,
        'visibility_widening_not_allowed',
      );
      const audit = await sql<{ actor_user_id: string; detail: any }>`
        select actor_user_id, detail from audit_log
        where target_id = ${memberMailbox} and action = 'mailbox.update' order by id`.execute(t.db.db);
      const changes = audit.rows.map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail).visibility);
      expect(changes).toEqual([
        { from: 'private', to: 'share_all', byOwner: true },
        { from: 'share_all', to: 'subject_only', byOwner: false },
      ]);
    });
  });

  describe('certificate pinning', () => {
    it('only admins may trust a certificate the system does not', async () => {
      await admin.patch('/api/v1/settings/workspace', { membersCanBindMailboxes: true });
      const trust = { imap: dovecot.fingerprint256 };
      const test = await member.post('/api/v1/mailboxes/test', {
        email: 'member@example.test',
        imap: imap(),
        password: MEMBER_PASSWORD,
        trustedCertificates: trust,
      });
      expectProblem(test, 403, 'certificate_trust_not_allowed');
      const bind = await member.post('/api/v1/mailboxes', {
        email: 'other@example.test',
        imap: imap(),
        password: MEMBER_PASSWORD,
        trustedCertificates: trust,
      });
      expectProblem(bind, 403, 'certificate_trust_not_allowed');
      expectProblem(
        await member.patch(`/api/v1/mailboxes/${memberMailbox}`, { trustedCertificates: trust }),
        403,
        'certificate_trust_not_allowed',
      );
      // Withdrawing a trust is allowed to the owner: it only makes the mailbox stricter.
      const withdrawn = await member.patch(`/api/v1/mailboxes/${memberMailbox}`, { trustedCertificates: { imap: null }, force: true });
      expectProblem(withdrawn, 422, 'connection_test_failed');
      const pinned = await admin.patch(`/api/v1/mailboxes/${memberMailbox}`, { trustedCertificates: trust });
      expect(pinned.statusCode).toBe(200);
      expect(pinned.data.mailbox.imap.trustedCertificate).toBe(dovecot.fingerprint256);
    });
  });
});
