// Organisation-wide binding (issue 14, point 3) end to end: an admin sets up Microsoft 365 application
// permissions and Google Workspace domain-wide delegation against the local providers, binds three
// salespeople's mailboxes per provider in one request (picked rows and CSV), and each mailbox syncs from
// a real Dovecot that checks the tokens: the Microsoft one through the Exchange emulation
// (test/harness/app-mail-access.ts), the Google one directly (a delegated token names its user).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppMailAccess,
  type DovecotInstance,
  type GoogleWithDelegation,
  type OAuthProviderInstance,
  type ServiceAccountKeyFile,
  type SmtpInstance,
  startAppMailAccess,
  startDovecot,
  startGoogleWithDelegation,
  startOAuthProvider,
  startSmtp,
} from '../harness/index.ts';
import { expectProblem, signInMember } from '../support/api.ts';
import type { Client } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';
import { countMessages, type SyncEnv, startSyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const MS_SECRET = 'microsoft-app-secret-0123456789';
const MS_CLIENT = 'tidings-microsoft';
const put = (client: Client, url: string, body: unknown) => client.request('PUT', url, body);

describe.each(databaseKinds)('organisation-wide binding (%s)', (kind) => {
  let env: SyncEnv;
  let admin: Client;
  let google: GoogleWithDelegation;
  let microsoft: OAuthProviderInstance;
  let exchange: AppMailAccess;
  let msDovecot: DovecotInstance;
  let gDovecot: DovecotInstance;
  let gSmtp: SmtpInstance;
  let caDir: string;
  let key: ServiceAccountKeyFile;
  const users: Record<string, string> = {}; // email → Tidings user id
  /** Everything secret the test knows, to look for in answers and audit rows. */
  const secrets: string[] = [MS_SECRET];

  const tls = (d: DovecotInstance) => ({ host: '127.0.0.1', port: d.imapsPort, security: 'tls' as const });

  beforeAll(async () => {
    [google, microsoft] = await Promise.all([startGoogleWithDelegation(), startOAuthProvider({ kind: 'microsoft' })]);
    exchange = await startAppMailAccess(microsoft);
    // Servers with certificates from the run's CA, which the app trusts as a company CA (TIDINGS_EXTRA_CA_FILE).
    msDovecot = await startDovecot({
      tls: 'ca-signed',
      oauth2: { userinfoUrl: exchange.url, usernameFormat: '%Ld', mechanisms: ['xoauth2'] },
    });
    gDovecot = await startDovecot({ tls: 'ca-signed', oauth2: { userinfoUrl: google.userinfoUrl } });
    gSmtp = await startSmtp({ dovecot: gDovecot, tls: 'ca-signed', oauth2: { userinfoUrl: google.userinfoUrl } });
    caDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-org-ca-'));
    await fs.writeFile(path.join(caDir, 'ca.pem'), msDovecot.caPem!);
    microsoft.registerClient({ clientId: MS_CLIENT, clientSecret: MS_SECRET });
    env = await startSyncEnv(kind, {
      dovecot: msDovecot,
      config: {
        extraCaFile: path.join(caDir, 'ca.pem'),
        signin: {
          google: { clientId: null, clientSecret: null, issuer: google.issuer },
          microsoft: { clientId: null, clientSecret: null, tenant: null, authority: microsoft.issuer },
        },
      },
    });
    admin = env.admin;
    for (const [i, email] of ['li@contoso.test', 'han@contoso.test', 'mei@contoso.test'].entries()) {
      await msDovecot.addOAuthUser(email);
      for (let n = 0; n <= i; n += 1)
        await msDovecot.append(email, 'INBOX', `Subject: ${email} ${n}\r\nMessage-ID: <ms-${i}-${n}@contoso.test>\r\n\r\nhello\r\n`);
    }
    for (const [i, email] of ['ann@acme.test', 'bob@acme.test', 'cy@acme.test'].entries()) {
      google.addAccount(email);
      await gDovecot.addOAuthUser(email);
      for (let n = 0; n <= i; n += 1)
        await gDovecot.append(email, 'INBOX', `Subject: ${email} ${n}\r\nMessage-ID: <g-${i}-${n}@acme.test>\r\n\r\nhello\r\n`);
    }
    for (const email of ['li@contoso.test', 'han@contoso.test', 'mei@contoso.test', 'ann@acme.test', 'bob@acme.test', 'cy@acme.test']) {
      const created = await admin.post('/api/v1/users', {
        email,
        name: email.split('@')[0],
        role: 'member',
        password: 'member-password-1',
      });
      expect(created.statusCode).toBe(201);
      users[email] = created.data.user.id;
    }
    key = google.createServiceAccount({ domains: ['acme.test'] });
    secrets.push(key.private_key.split('\n')[1]!); // a line of the key's base64 is enough to spot it
  });

  afterAll(async () => {
    await env?.close();
    await Promise.all([gSmtp?.stop(), gDovecot?.stop(), msDovecot?.stop()]);
    await Promise.all([exchange?.stop(), google?.stop(), microsoft?.stop()]);
    if (caDir) await fs.rm(caDir, { recursive: true, force: true });
  });

  function expectNoSecrets(value: unknown): void {
    const text = JSON.stringify(value);
    for (const s of secrets) expect(text).not.toContain(s);
  }

  it('is for admins only; Microsoft needs one tenant and a sign-in app with a secret', async () => {
    const { client: member } = await signInMember(env as never, admin, 'member@example.test', 'Mem Ber');
    expectProblem(await member.get('/api/v1/signin/organisation'), 403, 'forbidden');
    expectProblem(await member.post('/api/v1/signin/organisation/bindings', { provider: 'microsoft', rows: [] }), 403, 'forbidden');
    expectProblem(
      await put(admin, '/api/v1/signin/organisation/microsoft', { tenant: microsoft.tenantId, domains: ['contoso.test'] }),
      409,
      'oauth_app_missing',
    );
    expect((await put(admin, '/api/v1/signin-apps/microsoft', { clientId: MS_CLIENT, tenant: 'organizations' })).statusCode).toBe(200);
    expectProblem(
      await put(admin, '/api/v1/signin/organisation/microsoft', { tenant: microsoft.tenantId, domains: ['contoso.test'] }),
      409,
      'org_app_secret_required',
    );
    expect(
      (await put(admin, '/api/v1/signin-apps/microsoft', { clientId: MS_CLIENT, clientSecret: MS_SECRET, tenant: 'organizations' }))
        .statusCode,
    ).toBe(200);
    expectProblem(
      await put(admin, '/api/v1/signin/organisation/microsoft', { tenant: 'common', domains: ['contoso.test'] }),
      400,
      'org_tenant_required',
    );
    expectProblem(
      await put(admin, '/api/v1/signin/organisation/microsoft', { tenant: microsoft.tenantId, domains: ['not a domain'] }),
      400,
      'validation_failed',
    );
    expectProblem(
      await admin.post('/api/v1/signin/organisation/bindings', {
        provider: 'microsoft',
        rows: [{ address: 'li@contoso.test', owner: 'li@contoso.test' }],
      }),
      409,
      'org_grant_missing',
    );
  });

  it('an admin sets up Microsoft 365 application permissions; the guide says what to do in Exchange Online', async () => {
    const saved = await put(admin, '/api/v1/signin/organisation/microsoft', { tenant: microsoft.tenantId, domains: ['Contoso.test'] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.data.item).toMatchObject({
      provider: 'microsoft',
      configured: true,
      tenant: microsoft.tenantId,
      domains: ['contoso.test'],
      clientId: MS_CLIENT,
      appHasSecret: true,
    });
    const steps = saved.data.item.guide.steps as Array<{ en: string; 'zh-CN': string }>;
    expect(steps.some((s) => s.en.includes(`New-ServicePrincipal -AppId ${MS_CLIENT}`))).toBe(true);
    expect(steps.some((s) => s.en.includes('Add-MailboxPermission') && s['zh-CN'].includes('Add-MailboxPermission'))).toBe(true);
    expectNoSecrets(saved.data);
  });

  it("binds three users' Microsoft 365 mailboxes in one go (picked and CSV), per-row results, and each syncs", async () => {
    // Until the service principal has mailbox access, Exchange refuses the app's token: the rows fail with a fix.
    const refused = await admin.post('/api/v1/signin/organisation/bindings', {
      provider: 'microsoft',
      rows: [{ address: 'li@contoso.test', ownerUserId: users['li@contoso.test'] }],
      imap: tls(msDovecot),
      smtp: null,
    });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.data.items[0]).toMatchObject({ status: 'failed', mailboxId: null });
    expect(refused.data.items[0].fix.en.length).toBeGreaterThan(10);
    expect(refused.data.items[0].fix['zh-CN'].length).toBeGreaterThan(5);

    exchange.allow(MS_CLIENT, 'contoso.test'); // New-ServicePrincipal + Add-MailboxPermission
    const res = await admin.post('/api/v1/signin/organisation/bindings', {
      provider: 'microsoft',
      rows: [{ address: 'li@contoso.test', ownerUserId: users['li@contoso.test'] }],
      csv: 'address,owner\nhan@contoso.test,han@contoso.test\nmei@contoso.test,mei@contoso.test\nzed@fabrikam.test,li@contoso.test\nnobody@contoso.test,ghost@example.test\n\nnot an address\nli@contoso.test,li@contoso.test\n',
      imap: tls(msDovecot),
      smtp: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    const byAddress = (a: string, line: number | null = null) =>
      res.data.items.find((i: any) => i.address === a && (line === null || i.line === line));
    for (const email of ['li@contoso.test', 'han@contoso.test', 'mei@contoso.test'])
      expect(byAddress(email), email).toMatchObject({ status: 'bound', ownerUserId: users[email], code: null });
    expect(byAddress('zed@fabrikam.test')).toMatchObject({ status: 'failed', code: 'org_domain_not_covered', line: 4 });
    expect(byAddress('nobody@contoso.test')).toMatchObject({ status: 'failed', code: 'unknown_mailbox_owner', line: 5 });
    expect(res.data.items.find((i: any) => i.line === 7)).toMatchObject({ status: 'failed', code: 'invalid_row' }); // line 6 is blank: skipped, still counted
    expect(byAddress('li@contoso.test', 8)).toMatchObject({ status: 'failed', code: 'duplicate_row' });
    expect(res.data.items).toHaveLength(7);
    expectNoSecrets(res.data);

    const rows = await env.db.db
      .selectFrom('mailboxes')
      .innerJoin('signin_grants', 'signin_grants.mailbox_id', 'mailboxes.id')
      .select([
        'mailboxes.id',
        'mailboxes.email',
        'mailboxes.owner_user_id',
        'auth_kind',
        'secret_id',
        'visibility',
        'signin_grants.kind',
        'refresh_secret_id',
      ])
      .where('mailboxes.email', 'like', '%@contoso.test')
      .execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({
        owner_user_id: users[row.email],
        auth_kind: 'oauth2',
        secret_id: null,
        visibility: 'private',
        kind: 'organisation',
        refresh_secret_id: null,
      });
    }

    env.supervisor().start();
    for (const [i, email] of ['li@contoso.test', 'han@contoso.test', 'mei@contoso.test'].entries()) {
      const id = rows.find((r) => r.email === email)!.id;
      await waitFor(`${email} synced`, async () => expect(await countMessages(env, id)).toBe(i + 1));
    }
    // The owner sees the mailbox as theirs; it is not shared with anyone by default.
    const listed = await admin.get('/api/v1/mailboxes');
    const li = listed.data.items.find((m: any) => m.email === 'li@contoso.test');
    expect(li).toMatchObject({ authKind: 'oauth2', visibility: 'private' });
    expect(exchange.checks.filter((c) => c.appId === MS_CLIENT && c.status === 200).length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the Google service account key write-only and refuses what is not a key', async () => {
    expectProblem(
      await put(admin, '/api/v1/signin/organisation/google', { serviceAccountKey: '{"type":"authorized_user"}', domains: ['acme.test'] }),
      400,
      'org_key_invalid',
    );
    expectProblem(await put(admin, '/api/v1/signin/organisation/google', { domains: ['acme.test'] }), 400, 'validation_failed');
    const saved = await put(admin, '/api/v1/signin/organisation/google', {
      serviceAccountKey: JSON.stringify(key),
      domains: ['acme.test'],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.data.item).toMatchObject({
      provider: 'google',
      configured: true,
      hasKey: true,
      clientId: key.client_id,
      serviceAccountEmail: key.client_email,
    });
    expect(saved.data.item.guide.steps.some((s: any) => s.en.includes(key.client_id) && s.en.includes('https://mail.google.com/'))).toBe(
      true,
    );
    expectNoSecrets(saved.data);
    expectNoSecrets((await admin.get('/api/v1/signin/organisation')).data);
    // Keeping the key: a domains-only update.
    expect((await put(admin, '/api/v1/signin/organisation/google', { domains: ['acme.test'] })).data.item.hasKey).toBe(true);
  });

  it("binds three users' Google Workspace mailboxes through domain-wide delegation, with SMTP, and each syncs", async () => {
    const body = (rows: unknown[]) => ({
      provider: 'google',
      rows,
      imap: tls(gDovecot),
      smtp: { host: '127.0.0.1', port: gSmtp.smtpsPort, security: 'tls' },
    });
    google.setDelegation(key.client_id, false);
    const undelegated = await admin.post(
      '/api/v1/signin/organisation/bindings',
      body([{ address: 'ann@acme.test', owner: 'ann@acme.test' }]),
    );
    expect(undelegated.data.items[0]).toMatchObject({ status: 'failed', code: 'org_delegation_missing', stage: 'grant' });
    expect(undelegated.data.items[0].fix.en).toContain('domain-wide delegation');
    google.setDelegation(key.client_id, true);

    const res = await admin.post(
      '/api/v1/signin/organisation/bindings',
      body([
        ...['ann@acme.test', 'bob@acme.test', 'cy@acme.test'].map((address) => ({ address, owner: address })),
        { address: 'gone@acme.test', owner: 'ann@acme.test' },
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.items.map((i: any) => [i.address, i.status, i.code])).toEqual([
      ['ann@acme.test', 'bound', null],
      ['bob@acme.test', 'bound', null],
      ['cy@acme.test', 'bound', null],
      ['gone@acme.test', 'failed', 'org_user_unknown'],
    ]);
    const subs = google.jwtBearerRequests.filter((r) => r.error === null).map((r) => r.sub);
    expect(new Set(subs)).toEqual(new Set(['ann@acme.test', 'bob@acme.test', 'cy@acme.test']));
    for (const [i, email] of ['ann@acme.test', 'bob@acme.test', 'cy@acme.test'].entries()) {
      const id = res.data.items[i].mailboxId as string;
      await waitFor(`${email} synced`, async () => expect(await countMessages(env, id)).toBe(i + 1));
    }
  });

  it('audits each binding and the bulk run, with no secret in the audit rows', async () => {
    const audit = await env.db.db.selectFrom('audit_log').selectAll().execute();
    const actions = audit.map((a: any) => a.action);
    expect(actions.filter((a: string) => a === 'mailbox.bind_organisation').length).toBeGreaterThanOrEqual(4);
    expect(actions).toContain('signin_org_grant.save');
    const binds = audit.filter((a: any) => a.action === 'mailbox.bind');
    expect(binds.length).toBe(6);
    for (const b of binds) expect(JSON.stringify(b.detail)).toContain('organisation');
    expectNoSecrets(audit);
  });
});
