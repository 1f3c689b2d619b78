import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateMasterKey } from '../../src/vault/index.ts';
import { buildApp } from '../../src/app/build-app.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startServices } from '../../src/app/services.ts';
import { ADMIN, Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { startDovecot, startSmtp, type DovecotInstance, type SmtpInstance } from '../harness/index.ts';

const PASSWORD = 'imap-Secret-9f3k2';

describe.each(databaseKinds)('binding mailboxes through the API on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  let dovecot: DovecotInstance;
  let smtp: SmtpInstance;
  let mailboxId: string;

  const connection = () => ({
    email: 'sales@example.com',
    providerId: 'custom',
    imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' },
    smtp: { host: '127.0.0.1', port: smtp.submissionPort, security: 'starttls' },
    password: PASSWORD,
  });

  beforeAll(async () => {
    [t, dovecot] = await Promise.all([createTestApp(kind), startDovecot({ tls: 'self-signed' })]);
    smtp = await startSmtp({ dovecot });
    await dovecot.addUser('sales@example.com', PASSWORD);
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
    await t?.close();
  });

  it('explains an untrusted certificate and binds once the admin trusts its fingerprint', async () => {
    const test = await admin.post('/api/v1/mailboxes/test', connection());
    expect(test.statusCode).toBe(200);
    expect(test.data.ok).toBe(false);
    expect(test.data.imap.failure).toMatchObject({ code: 'tls_untrusted_certificate', stage: 'tls' });
    expect(test.data.imap.failure.certificate.fingerprint256).toBe(dovecot.fingerprint256);
    expect(test.data.imap.failure.fix['zh-CN']).toBeTruthy();

    const refused = await admin.post('/api/v1/mailboxes', connection());
    expect(refused.statusCode).toBe(422);
    expect(refused.data.code).toBe('connection_test_failed');
    expect(refused.data.test.imap.failure.code).toBe('tls_untrusted_certificate');

    const bound = await admin.post('/api/v1/mailboxes', {
      ...connection(),
      trustedCertificates: { imap: dovecot.fingerprint256, smtp: smtp.fingerprint256 },
      visibility: 'subject_only',
      backfill: '30d',
    });
    expect(bound.statusCode).toBe(201);
    expect(bound.data.test.ok).toBe(true);
    expect(bound.data.test.imap.stages.map((s: any) => s.stage)).toEqual(['connect', 'tls', 'greeting', 'auth', 'id', 'list', 'select']); // no DNS stage for an IP address
    const mailbox = bound.data.mailbox;
    mailboxId = mailbox.id;
    expect(mailbox).toMatchObject({
      email: 'sales@example.com',
      status: 'active',
      visibility: 'subject_only',
      backfill: '30d',
      username: 'sales@example.com',
    });
    expect(mailbox.imap.trustedCertificate).toBe(dovecot.fingerprint256);
    expect(mailbox.credential).toMatchObject({ set: true, ageDays: 0, stale: false });
    expect(JSON.stringify(bound.data)).not.toContain(PASSWORD);
  });

  it('reports a wrong password at the auth stage and does not save it', async () => {
    const res = await admin.patch(`/api/v1/mailboxes/${mailboxId}`, { password: 'wrong-password' });
    expect(res.statusCode).toBe(422);
    expect(res.data.test.imap.failure).toMatchObject({ code: 'auth_failed', stage: 'auth' });
    const retest = await admin.post(`/api/v1/mailboxes/${mailboxId}/test`);
    expect(retest.data.ok).toBe(true); // the stored password is still the right one
  });

  it('refuses the changed certificate of a pinned server, showing the new fingerprint', async () => {
    const newFingerprint = await dovecot.rotateCertificate();
    const res = await admin.post(`/api/v1/mailboxes/${mailboxId}/test`);
    expect(res.data.ok).toBe(false);
    expect(res.data.imap.failure.code).toBe('tls_untrusted_certificate');
    expect(res.data.imap.failure.certificate.fingerprint256).toBe(newFingerprint);
    expect((await admin.get(`/api/v1/mailboxes/${mailboxId}`)).data.mailbox.status).toBe('needs_attention');
    const trusted = await admin.patch(`/api/v1/mailboxes/${mailboxId}`, { trustedCertificates: { imap: newFingerprint } });
    expect(trusted.statusCode).toBe(200);
    expect(trusted.data.mailbox).toMatchObject({ status: 'active', imap: { trustedCertificate: newFingerprint } });
  });

  it('lets members bind only when the admin allows it, and only for themselves', async () => {
    await admin.post('/api/v1/users', { email: 'rep@example.com', name: 'Rep', role: 'member', password: 'member-password-1' });
    const member = new Client(t.app);
    await member.post('/api/v1/auth/login', { email: 'rep@example.com', password: 'member-password-1' });
    expect((await member.post('/api/v1/mailboxes/test', connection())).data.code).toBe('binding_not_allowed');
    expect((await member.get(`/api/v1/mailboxes/${mailboxId}`)).statusCode).toBe(404);
    expect((await member.get('/api/v1/mailboxes')).data.items).toEqual([]);
    await admin.patch('/api/v1/settings/workspace', { membersCanBindMailboxes: true });
    const other = await member.post('/api/v1/mailboxes', { ...connection(), ownerUserId: (await admin.get('/api/v1/me')).data.user.id });
    expect(other.data.code).toBe('forbidden');
    const plaintext = await member.post('/api/v1/mailboxes/test', { ...connection(), allowPlaintext: true });
    expect(plaintext.data.code).toBe('forbidden');
  });

  it('validates input with clear codes', async () => {
    expect(
      (await admin.post('/api/v1/mailboxes/test', { ...connection(), imap: { host: 'bad host!', port: 993, security: 'tls' } })).data.code,
    ).toBe('validation_failed');
    expect(
      (await admin.post('/api/v1/mailboxes/test', { ...connection(), imap: { host: 'x.example', port: 70000, security: 'tls' } })).data
        .code,
    ).toBe('validation_failed');
    expect(
      (await admin.post('/api/v1/mailboxes/test', { ...connection(), trustedCertificates: { imap: 'not-a-fingerprint' } })).data.code,
    ).toBe('validation_failed');
    expect(
      (await admin.post('/api/v1/mailboxes', { ...connection(), trustedCertificates: { imap: dovecot.fingerprint256 }, extra: 1 })).data
        .code,
    ).toBe('validation_failed');
    expect((await admin.post('/api/v1/mailboxes/discover', { email: 'nope' })).data.code).toBe('validation_failed');
  });

  it('never shows the password: not in rows, responses, the audit trail or logs; keys rotate keeps it working', async () => {
    const tables = ['mailboxes', 'secrets', 'vault_keys', 'audit_log'];
    for (const table of tables) {
      const rows = await sql.raw(`select * from ${table}`).execute(t.db.db);
      expect(JSON.stringify(rows.rows)).not.toContain(PASSWORD);
    }
    const list = await admin.get('/api/v1/mailboxes');
    expect(JSON.stringify(list.data)).not.toContain(PASSWORD);
    const audit = await sql<{ action: string }>`select action from audit_log where target_type = 'mailbox' order by id`.execute(t.db.db);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['mailbox.bind', 'mailbox.update', 'mailbox.test']));

    await rotateMasterKey(t.db.db, {
      envKey: t.config.masterKey,
      dataDir: t.config.dataDir,
      newEnvKey: 'a-brand-new-master-key-for-tests',
    });
    // What a restarted Tidings does with the new key: the mailbox still connects with its stored password.
    const config = { ...t.config, masterKey: 'a-brand-new-master-key-for-tests' };
    const log = createLogger('silent');
    const restarted = await startServices({ config, db: t.db.db, log });
    const app = await buildApp({ config, db: t.db.db, log, services: restarted.services });
    try {
      const again = new Client(app);
      await again.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
      const retest = await again.post(`/api/v1/mailboxes/${mailboxId}/test`);
      expect(retest.data.ok).toBe(true);
    } finally {
      await app.close();
      await restarted.stop();
    }

    const logs = t.logs.join('\n');
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(Buffer.from(`\u0000sales@example.com\u0000${PASSWORD}`).toString('base64'));
  });

  it('unbinds a mailbox and deletes its secret', async () => {
    expect((await admin.delete(`/api/v1/mailboxes/${mailboxId}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/mailboxes/${mailboxId}`)).statusCode).toBe(404);
    const secrets = await sql<{ n: number }>`select count(*)::int as n from secrets where owner_type = 'mailbox'`.execute(t.db.db);
    expect(secrets.rows[0]!.n).toBe(0);
  });
});
