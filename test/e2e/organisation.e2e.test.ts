import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppMailAccess,
  type DovecotInstance,
  type OAuthProviderInstance,
  startAppMailAccess,
  startDovecot,
  startOAuthProvider,
} from '../harness/index.ts';
import { axeViolations } from '../support/axe.ts';
import { csrfHeader, launchBrowser, screenshot, setupFirstAdmin, signInThroughLoginPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// Settings › Organisation access in a browser (en-US, zh-CN): the admin sets up Microsoft 365
// application permissions, binds three salespeople's mailboxes (two picked, one from CSV) and sees a
// per-row result; an address outside the tenant's domains fails with its fix. The local "Microsoft"
// and the Exchange emulation (test/harness/app-mail-access.ts) check the app-only token at Dovecot.

const MS_SECRET = 'microsoft-app-secret-0123456789';

const cases = [
  {
    locale: 'en-US',
    domain: 'contoso.test',
    app: 'tidings-en',
    texts: { title: 'Organisation access', bound: 'Bound', failed: 'Failed', summary: '3 bound, 1 failed', fix: 'add its domain' },
  },
  {
    locale: 'zh-CN',
    domain: 'fabrikam.test',
    app: 'tidings-zh',
    texts: { title: '组织授权', bound: '已绑定', failed: '失败', summary: '已绑定 3 个,失败 1 个', fix: '域名' },
  },
];

let browser: Browser;
let microsoft: OAuthProviderInstance;
let exchange: AppMailAccess;
let dovecot: DovecotInstance;
let caDir: string;

beforeAll(async () => {
  [browser, microsoft] = await Promise.all([launchBrowser(), startOAuthProvider({ kind: 'microsoft' })]);
  exchange = await startAppMailAccess(microsoft);
  dovecot = await startDovecot({ tls: 'ca-signed', oauth2: { userinfoUrl: exchange.url, usernameFormat: '%Ld', mechanisms: ['xoauth2'] } });
  caDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-org-e2e-'));
  await fs.writeFile(path.join(caDir, 'ca.pem'), dovecot.caPem!);
  for (const c of cases) {
    // One app per server (each has its own sign-in app): the emulation lets an app into one domain.
    microsoft.registerClient({ clientId: c.app, clientSecret: MS_SECRET });
    exchange.allow(c.app, c.domain);
    for (const name of ['li', 'han', 'mei']) await dovecot.addOAuthUser(`${name}@${c.domain}`);
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dovecot?.stop();
  await exchange?.stop();
  await microsoft?.stop();
  if (caDir) await fs.rm(caDir, { recursive: true, force: true });
});

describe.each(cases)('organisation access in $locale', ({ locale, domain, app: appId, texts }) => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  const admin = { name: locale === 'zh-CN' ? '王管理' : 'Ada Admin', email: 'admin@example.test', password: 'correct horse battery' };

  beforeAll(async () => {
    server = await startTestServer({
      env: { TIDINGS_MICROSOFT_AUTHORITY: microsoft.issuer, TIDINGS_EXTRA_CA_FILE: path.join(caDir, 'ca.pem') },
    });
    context = await browser.newContext({ locale, baseURL: server.url, viewport: { width: 1280, height: 1000 } });
    context.setDefaultTimeout(20_000);
    await setupFirstAdmin(server.url, admin);
    page = await context.newPage();
    await signInThroughLoginPage(page, admin.email, admin.password);
    await page.waitForURL('**/inbox');
    const headers = await csrfHeader(context);
    for (const name of ['li', 'han', 'mei']) {
      const created = await context.request.post('/api/v1/users', {
        data: { email: `${name}@${domain}`, name, role: 'member', password: 'member password 123' },
        headers,
      });
      expect(created.status()).toBe(201);
    }
    const app = await context.request.put('/api/v1/signin-apps/microsoft', {
      data: { clientId: appId, clientSecret: MS_SECRET, tenant: 'organizations' },
      headers,
    });
    expect(app.status()).toBe(200);
    // The catalogue's Microsoft 365 servers are on the internet: the test points the bulk request at the local Dovecot.
    await page.route('**/api/v1/signin/organisation/bindings', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      await route.continue({
        postData: JSON.stringify({ ...body, imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' }, smtp: null }),
      });
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  it('sets up Microsoft 365 application permissions with the steps in the page language', async () => {
    await page.getByTestId('nav-organisation').click();
    await page.getByTestId('page-title').getByText(texts.title, { exact: true }).waitFor();
    await expect(page.getByTestId('org-microsoft-state').textContent()).resolves.not.toBe('');
    await page.getByTestId('org-microsoft-tenant').fill(microsoft.tenantId!);
    await page.getByTestId('org-microsoft-domains').fill(domain);
    await page.getByTestId('org-microsoft-save').click();
    await page.getByTestId('org-bind-submit').waitFor();
    expect(await page.getByTestId('org-microsoft').textContent()).toContain(`New-ServicePrincipal -AppId ${appId}`);
    expect(await axeViolations(page, ['[data-testid="org-microsoft"]', '[data-testid="org-google"]', '[data-testid="org-bind"]'])).toEqual(
      [],
    );
    await screenshot(page, `${locale}-organisation-setup`);
  });

  it('binds three mailboxes (two picked, one from CSV) and shows a result per row', async () => {
    for (const name of ['li', 'han']) {
      await page.getByTestId('org-bind-users').click();
      await page.getByRole('option', { name: new RegExp(`${name}@${domain}`) }).click();
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('org-bind-csv').fill(`address,owner\nmei@${domain},mei@${domain}\nzed@elsewhere.test,li@${domain}\n`);
    await page.getByTestId('org-bind-submit').click();
    await page.getByTestId('org-bind-summary').getByText(texts.summary).waitFor({ timeout: 120_000 });
    const rows = page.getByTestId('org-bind-row');
    await expect(rows.count()).resolves.toBe(4);
    await expect(page.locator('[data-testid="org-bind-row"][data-status="bound"]').count()).resolves.toBe(3);
    const failedRow = page.locator('[data-testid="org-bind-row"][data-status="failed"]');
    expect(await failedRow.textContent()).toContain('org_domain_not_covered');
    expect(await failedRow.textContent()).toContain(texts.fix);
    expect(await axeViolations(page, ['[data-testid="org-microsoft"]', '[data-testid="org-google"]', '[data-testid="org-bind"]'])).toEqual(
      [],
    );
    await screenshot(page, `${locale}-organisation-results`);
    const mailboxes = await context.request.get('/api/v1/mailboxes');
    const items = (await mailboxes.json()).items as Array<{ email: string; authKind: string; visibility: string }>;
    expect(items.map((m) => m.email).sort()).toEqual([`han@${domain}`, `li@${domain}`, `mei@${domain}`]);
    for (const m of items) expect(m).toMatchObject({ authKind: 'oauth2', visibility: 'private' });
  }, 150_000);
});
