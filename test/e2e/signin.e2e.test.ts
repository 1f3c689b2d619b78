import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type DovecotInstance,
  type OAuthProviderInstance,
  type SmtpInstance,
  sharedTestCaFile,
  startDovecot,
  startOAuthProvider,
  startSmtp,
} from '../harness/index.ts';
import { freePort } from '../harness/ports.ts';
import { expectAccessible } from '../support/axe.ts';
import { clickThroughProvider, contextBeforeSignIn, launchBrowser, screenshot, signInThroughLoginPage } from '../support/browser.ts';
import { buildMessage } from '../support/message.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// Binding by signing in, once per UI language, all in a real browser against real servers: the admin
// registers the Google and Microsoft sign-in apps (Settings › Mailboxes › Sign-in apps), binds "Gmail" in
// a popup and "Microsoft 365" in the same tab by clicking through the local provider's login and consent
// pages, a second Microsoft 365 mailbox with a device code, and the mail appears in the inbox. Dovecot checks
// every token with its oauth2 passdb against the same provider. Then the provider revokes a grant: the
// mailbox needs attention and "Sign in again" brings it back. Every screen passes axe-core's WCAG 2 A/AA.

interface Texts {
  appsTab: string;
  configured: string;
  stored: string;
  signInWithGoogle: string;
  signInWithMicrosoft: string;
  testOk: string;
  active: string;
  signedInAs: (email: string) => string;
  needsAttention: string;
}

const cases: { locale: string; tag: string; texts: Texts }[] = [
  {
    locale: 'en-US',
    tag: 'en',
    texts: {
      appsTab: 'Sign-in apps',
      configured: 'Set up',
      stored: 'Stored',
      signInWithGoogle: 'Sign in with Google',
      signInWithMicrosoft: 'Sign in with Microsoft',
      testOk: 'Connection successful',
      active: 'Active',
      signedInAs: (email) => `Signed in as ${email}`,
      needsAttention: 'Needs attention',
    },
  },
  {
    locale: 'zh-CN',
    tag: 'zh',
    texts: {
      appsTab: '登录应用',
      configured: '已设置',
      stored: '已保存',
      signInWithGoogle: '使用 Google 登录',
      signInWithMicrosoft: '使用 Microsoft 登录',
      testOk: '连接成功',
      active: '正常',
      signedInAs: (email) => `已登录为 ${email}`,
      needsAttention: '需要处理',
    },
  },
];

const GOOGLE_SECRET = 'google-secret-never-shown-0123';
const MICROSOFT_SECRET = 'microsoft-secret-never-shown-0123';

let browser: Browser;
let google: OAuthProviderInstance;
let microsoft: OAuthProviderInstance;
let gmailDovecot: DovecotInstance;
let gmailSmtp: SmtpInstance;
let m365Dovecot: DovecotInstance;
let m365Smtp: SmtpInstance;
let caFile: string;

beforeAll(async () => {
  [browser, google, microsoft] = await Promise.all([
    launchBrowser(),
    startOAuthProvider({ kind: 'google' }),
    // Access tokens that always look close to expiry: every use refreshes, so a revoked grant shows at once.
    startOAuthProvider({ kind: 'microsoft', accessTokenTtlSeconds: 120 }),
  ]);
  [gmailDovecot, m365Dovecot] = await Promise.all([
    startDovecot({ tls: 'ca-signed', oauth2: { userinfoUrl: google.userinfoUrl } }),
    // Microsoft 365 offers XOAUTH2 only.
    startDovecot({ tls: 'ca-signed', oauth2: { userinfoUrl: microsoft.userinfoUrl, mechanisms: ['xoauth2'] } }),
  ]);
  [gmailSmtp, m365Smtp] = await Promise.all([
    startSmtp({ dovecot: gmailDovecot, tls: 'ca-signed', oauth2: { userinfoUrl: google.userinfoUrl, kind: 'google' } }),
    startSmtp({ dovecot: m365Dovecot, tls: 'ca-signed', oauth2: { userinfoUrl: microsoft.userinfoUrl, kind: 'microsoft' } }),
  ]);
  // The harness's servers present certificates of the test CA; the server trusts it like a company CA.
  caFile = await sharedTestCaFile();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([gmailSmtp?.stop(), m365Smtp?.stop()]);
  await Promise.all([gmailDovecot?.stop(), m365Dovecot?.stop()]);
  await Promise.all([google?.stop(), microsoft?.stop()]);
});

describe.each(cases)('binding by signing in ($locale)', ({ locale, tag, texts }) => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  const admin = { name: locale === 'zh-CN' ? '王管理' : 'Ada Admin', email: 'admin@example.test', password: 'correct horse battery' };
  const gmailUser = `ann.${tag}@gmail.com`;
  const m365User = `li.${tag}@contoso.example`;
  const deviceUser = `han.${tag}@contoso.example`;
  const clients = { google: `tidings-google-${tag}`, microsoft: `tidings-microsoft-${tag}` };

  const row = (email: string) => page.locator(`[data-testid="mailbox-row"][data-email="${email}"]`);

  beforeAll(async () => {
    // The redirect URI is ${TIDINGS_BASE_URL}/oauth/callback: the port must be known before the server starts.
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    server = await startTestServer({
      env: {
        PORT: String(port),
        TIDINGS_BASE_URL: baseUrl,
        TIDINGS_GOOGLE_ISSUER: google.issuer,
        TIDINGS_MICROSOFT_AUTHORITY: microsoft.issuer,
        TIDINGS_EXTRA_CA_FILE: caFile,
      },
    });
    expect(server.url).toBe(baseUrl);
    for (const email of [gmailUser]) {
      google.addAccount(email);
      await gmailDovecot.addOAuthUser(email);
      await gmailDovecot.append(
        email,
        'INBOX',
        buildMessage({ from: 'Wu Buyer <wu@customer.test>', to: email, subject: `Gmail order ${tag}` }),
      );
    }
    for (const email of [m365User, deviceUser]) {
      microsoft.addAccount(email);
      await m365Dovecot.addOAuthUser(email);
      await m365Dovecot.append(
        email,
        'INBOX',
        buildMessage({ from: 'Zoe Client <zoe@client.test>', to: email, subject: `Contoso quote ${email}` }),
      );
    }
    google.registerClient({ clientId: clients.google, clientSecret: GOOGLE_SECRET, redirectUris: [`${baseUrl}/oauth/callback`] });
    microsoft.registerClient({ clientId: clients.microsoft, clientSecret: MICROSOFT_SECRET, redirectUris: [`${baseUrl}/oauth/callback`] });

    ({ context, page } = await contextBeforeSignIn(browser, server.url, admin, {
      locale,
      viewport: { width: 1280, height: 900 },
      timeoutMs: 20_000,
    }));
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  // A failed step leaves a picture of every open page behind (with TIDINGS_E2E_SCREENSHOTS).
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !context) return;
    for (const [i, open] of context.pages().entries())
      await screenshot(open, `${locale}-failed-${ctx.task.name.slice(0, 40)}-${i}`).catch(() => undefined);
  });

  it('registers the Google and Microsoft sign-in apps; the secrets are write-only', async () => {
    await signInThroughLoginPage(page, admin.email, admin.password);
    await page.waitForURL('**/inbox');
    await page.getByTestId('nav-mailboxes').click();
    await page.getByTestId('tab-signin-apps').getByText(texts.appsTab, { exact: true }).click();
    await page.waitForURL('**/settings/mailboxes/signin-apps');

    for (const provider of ['google', 'microsoft'] as const) {
      await expect(page.getByTestId(`redirect-uri-${provider}`).textContent()).resolves.toBe(`${server.url}/oauth/callback`);
      await expect(page.getByTestId(`signin-app-${provider}`).getAttribute('data-configured')).resolves.toBe('false');
    }
    await page.getByTestId('signin-guide-google').click();
    await expect(page.getByTestId('signin-guide-steps-google').textContent()).resolves.toContain(`${server.url}/oauth/callback`);
    await expectAccessible(page, 'sign-in apps');
    await screenshot(page, `${locale}-signin-apps`);

    await page.getByTestId('signin-app-client-id-google').fill(clients.google);
    await page.getByTestId('signin-app-secret-google').fill(GOOGLE_SECRET);
    await page.getByTestId('signin-app-save-google').click();
    await page.locator('[data-testid="signin-app-google"][data-configured="true"]').waitFor();

    await page.getByTestId('signin-app-client-id-microsoft').fill(clients.microsoft);
    await page.getByTestId('signin-app-secret-microsoft').fill(MICROSOFT_SECRET);
    await page.getByTestId('signin-app-save-microsoft').click();
    await page.locator('[data-testid="signin-app-microsoft"][data-configured="true"]').waitFor();

    // After a reload the secrets are "Stored" with a Replace action; their values are nowhere in the page.
    await page.reload();
    for (const provider of ['google', 'microsoft'] as const) {
      await expect(page.getByTestId(`signin-app-status-${provider}`).textContent()).resolves.toBe(texts.configured);
      await expect(page.getByTestId(`signin-app-secret-stored-${provider}`).textContent()).resolves.toBe(texts.stored);
      await page.getByTestId(`signin-app-secret-replace-${provider}`).waitFor();
    }
    const html = await page.content();
    expect(html).not.toContain(GOOGLE_SECRET);
    expect(html).not.toContain(MICROSOFT_SECRET);
    await expectAccessible(page, 'sign-in apps, configured');
  });

  /** Steps 1–3 of the wizard for an OAuth provider, with the servers pointed at the local Dovecot and SMTP. */
  async function toSigninStep(card: 'gmail' | 'microsoft', email: string, dovecot: DovecotInstance, smtp: SmtpInstance, smtpPort: number) {
    await page.goto('/settings/mailboxes');
    await page.getByTestId('mailboxes-bind').first().click();
    await page.getByTestId(`card-${card}`).click();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-email').fill(email);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('signin-panel').waitFor();
    // Microsoft 365 reads through Graph by default; these tests bind it over IMAP with the same sign-in.
    if (card === 'microsoft') await page.getByTestId('exchange-use-imap').check();
    await page.getByTestId('imap-host').fill('127.0.0.1');
    await page.getByTestId('imap-port').fill(String(dovecot.imapsPort));
    await page.getByTestId('smtp-host').fill(smtp.host);
    await page.getByTestId('smtp-port').fill(String(smtpPort));
  }

  /** The wizard tested the signed-in mailbox: the identity and the ticks are shown; save it and see it active. */
  async function saveTested(email: string) {
    await page.locator('[data-testid="test-summary"][data-ok="true"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('signin-identity').textContent()).resolves.toBe(texts.signedInAs(email));
    await expect(page.getByTestId('test-summary').textContent()).resolves.toContain(texts.testOk);
    expect(await page.locator('[data-testid^="stage-"][data-ok="false"]').count()).toBe(0);
    await expectAccessible(page, 'wizard, signed in and tested', '[role="dialog"]');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-save').click();
    await row(email).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(row(email).getByTestId('mailbox-status').textContent()).resolves.toBe(texts.active);
  }

  async function expectInInbox(subject: string) {
    await page.getByTestId('nav-inbox').click();
    const found = page.getByTestId('row-subject').getByText(subject, { exact: true });
    for (let i = 0; i < 30 && !(await found.isVisible()); i++) {
      await page.waitForTimeout(1000);
      if (i % 5 === 4) await page.reload();
    }
    await found.waitFor({ timeout: 10_000 }).catch(async (err: unknown) => {
      // Say what the sync engine says about each mailbox, not just that the row is missing.
      const list = await (await page.request.get('/api/v1/mailboxes')).json();
      const states = await Promise.all(
        list.items.map(async (m: { id: string; email: string; status: string; statusReason: string | null }) => ({
          email: m.email,
          status: m.status,
          reason: m.statusReason,
          sync: await (await page.request.get(`/api/v1/mailboxes/${m.id}/sync-status`)).json(),
        })),
      );
      throw new Error(`"${subject}" is not in the inbox; mailboxes: ${JSON.stringify(states)}`, { cause: err });
    });
  }

  it('binds Gmail with "Sign in with Google" in a popup, and its mail appears in the inbox', async () => {
    await toSigninStep('gmail', gmailUser, gmailDovecot, gmailSmtp, gmailSmtp.smtpsPort);
    // Google also takes an app password: the password field stays, below the sign-in.
    await page.getByTestId('password').waitFor();
    await expect(page.getByTestId('signin-start').textContent()).resolves.toBe(texts.signInWithGoogle);
    await expectAccessible(page, 'wizard, sign-in step', '[role="dialog"]');
    await screenshot(page, `${locale}-signin-wizard-google`);

    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('signin-start').click()]);
    await clickThroughProvider(popup, google.issuer, gmailUser);
    await popup.waitForEvent('close', { timeout: 20_000 });
    await saveTested(gmailUser);
    await screenshot(page, `${locale}-signin-bound-gmail`);
    await expectInInbox(`Gmail order ${tag}`);
  });

  it('binds Microsoft 365 with "Sign in with Microsoft" in the same tab when popups are blocked', async () => {
    await toSigninStep('microsoft', m365User, m365Dovecot, m365Smtp, m365Smtp.submissionPort);
    // Microsoft takes no password at all.
    expect(await page.getByTestId('password').count()).toBe(0);
    await expect(page.getByTestId('signin-start').textContent()).resolves.toBe(texts.signInWithMicrosoft);
    await page.evaluate(() => {
      window.open = () => null; // as a popup blocker does
    });
    await page.getByTestId('signin-start').click();
    await clickThroughProvider(page, microsoft.issuer, m365User);
    // Back on /settings/mailboxes?signin=…: the wizard reopens at the test with the remembered settings.
    await page.waitForURL('**/settings/mailboxes**');
    await screenshot(page, `${locale}-signin-m365-returned`);
    await page.getByRole('dialog').waitFor();
    await saveTested(m365User);
    expect(new URL(page.url()).search).toBe('');
    await expectInInbox(`Contoso quote ${m365User}`);
  });

  it('binds a second Microsoft 365 mailbox with a device code', async () => {
    await toSigninStep('microsoft', deviceUser, m365Dovecot, m365Smtp, m365Smtp.submissionPort);
    await page.getByTestId('signin-device').click();
    const code = (await page.getByTestId('device-code').textContent()) ?? '';
    expect(code).not.toBe('');
    const link = await page.getByTestId('device-link').getAttribute('href');
    expect(link).toBe(`${microsoft.issuer}/device`);
    await expectAccessible(page, 'wizard, device code', '[role="dialog"]');
    await screenshot(page, `${locale}-signin-device-code`);

    // Another device: the user opens the page, types the code, confirms, signs in and consents.
    const phone = await browser.newContext({ locale });
    try {
      const phonePage = await phone.newPage();
      await phonePage.goto(link ?? '');
      await clickThroughProvider(phonePage, microsoft.issuer, deviceUser, { userCode: code });
      await phonePage.locator('[data-step="device-done"]').waitFor();
    } finally {
      await phone.close();
    }
    await saveTested(deviceUser);
    await expectInInbox(`Contoso quote ${deviceUser}`);
  });

  it('after the provider revokes the grant, the mailbox needs attention and "Sign in again" brings it back', async () => {
    await microsoft.revoke(m365User);
    await page.goto('/settings/mailboxes');
    // "Test now" refreshes the token: invalid_grant, the sign-in is revoked.
    await row(m365User).getByTestId('mailbox-row-menu').click();
    await page.getByTestId('mailbox-test').click();
    await page.locator('[data-testid="test-summary"][data-ok="false"]').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    for (let i = 0; i < 20 && (await row(m365User).getByTestId('mailbox-row-signin-again').count()) === 0; i++) {
      await page.waitForTimeout(1000);
      await page.reload();
    }
    await expect(row(m365User).getByTestId('mailbox-status').getAttribute('data-status')).resolves.toBe('needs_attention');
    await expect(row(m365User).getByTestId('mailbox-status').textContent()).resolves.toBe(texts.needsAttention);
    await expectAccessible(page, 'mailboxes, needs attention');
    await screenshot(page, `${locale}-signin-revoked`);

    // The settings dialog says so too, with the same action.
    await row(m365User).getByTestId('mailbox-row-menu').click();
    await page.getByTestId('mailbox-settings').click();
    await page.getByTestId('settings-signin-needed').waitFor();
    await expectAccessible(page, 'settings dialog, sign in again', '[role="dialog"]');
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('settings-signin-again').click()]);
    await clickThroughProvider(popup, microsoft.issuer, m365User);
    await popup.waitForEvent('close', { timeout: 20_000 });
    await row(m365User).locator('[data-testid="mailbox-status"][data-status="active"]').waitFor({ timeout: 30_000 });
    expect(await row(m365User).getByTestId('mailbox-row-signin-again').count()).toBe(0);
  });
});
