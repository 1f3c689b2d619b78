import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, startSmtp } from '../harness/index.ts';
import type { DovecotInstance, SmtpInstance } from '../harness/index.ts';
import { launchBrowser, screenshot, setupFirstAdmin, signInThroughLoginPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The binding journey of the users' article, once per UI language: an admin signs in → Settings ›
// Mailboxes → Bind a mailbox → Custom server → server details → Test connection with a wrong password →
// the untrusted certificate is explained and trusted → the sign-in failure shows its fix → the right
// password passes → Save → the mailbox is listed as active. Real server, real Dovecot and SMTP.

interface Texts {
  title: string;
  authFix: string;
  testOk: string;
  active: string;
  sourceNone: string;
  interval: string;
  paused: string;
}

const cases: { locale: string; user: string; texts: Texts }[] = [
  {
    locale: 'en-US',
    user: 'alice@example.test',
    texts: {
      title: 'Mailboxes',
      authFix: 'Check the username (usually the full email address) and the password.',
      testOk: 'Connection successful',
      active: 'Active',
      sourceNone: 'Nothing found: enter them yourself',
      interval: 'Every few minutes',
      paused: 'Paused',
    },
  },
  {
    locale: 'zh-CN',
    user: 'wang@example.test',
    texts: {
      title: '邮箱配置',
      authFix: '请检查用户名(通常是完整的邮箱地址)和密码。',
      testOk: '连接成功',
      active: '正常',
      sourceNone: '未找到设置,请手动填写',
      interval: '定时',
      paused: '已暂停',
    },
  },
];

const PASSWORD = 'mailbox secret 42';
let browser: Browser;
let dovecot: DovecotInstance;
let smtp: SmtpInstance;

beforeAll(async () => {
  [browser, dovecot] = await Promise.all([launchBrowser(), startDovecot({ tls: 'self-signed' })]);
  smtp = await startSmtp({ dovecot });
  for (const c of cases) await dovecot.addUser(c.user, PASSWORD);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await smtp?.stop();
  await dovecot?.stop();
});

function failure(page: Page, protocol: 'imap' | 'smtp', code: string) {
  return page.locator(`[data-testid="failure-${protocol}"][data-code="${code}"]`);
}

describe.each(cases)('binding a mailbox in $locale', ({ locale, user, texts }) => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  const admin = { name: locale === 'zh-CN' ? '王管理' : 'Ada Admin', email: 'admin@example.test', password: 'correct horse battery' };

  beforeAll(async () => {
    server = await startTestServer();
    context = await browser.newContext({ locale, baseURL: server.url, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    await setupFirstAdmin(server.url, admin);
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  it('signs the admin in and opens Settings › Mailboxes, empty', async () => {
    await signInThroughLoginPage(page, admin.email, admin.password);
    await page.waitForURL('**/inbox');
    await page.getByTestId('nav-mailboxes').click();
    await page.getByTestId('page-title').getByText(texts.title, { exact: true }).waitFor();
    await page.getByTestId('mailboxes-empty').waitFor();
  });

  it('takes a custom server with a wrong password and explains the untrusted certificate', async () => {
    await page.getByTestId('mailboxes-bind').click();
    await page.getByTestId('card-custom').click();
    await screenshot(page, `${locale}-binding-types`);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-email').fill(user);
    await page.getByTestId('wizard-next').click();

    // Discovery finds nothing for example.test (no network): the form says so and stays editable.
    await page.getByTestId('imap-host').waitFor();
    await expect(page.getByTestId('settings-source').textContent()).resolves.toBe(texts.sourceNone);
    await expect(page.getByTestId('username').inputValue()).resolves.toBe(user);
    await page.getByTestId('imap-host').fill('127.0.0.1');
    await page.getByTestId('imap-port').fill(String(dovecot.imapsPort));
    await page.getByTestId('smtp-host').fill('127.0.0.1');
    await page.getByTestId('smtp-security').getByText('STARTTLS', { exact: true }).click();
    await page.getByTestId('smtp-port').fill(String(smtp.submissionPort));
    await page.getByTestId('password').fill('not the password');
    await screenshot(page, `${locale}-binding-settings`);
    await page.getByTestId('wizard-test').click();

    await failure(page, 'imap', 'tls_untrusted_certificate').waitFor();
    await failure(page, 'smtp', 'tls_untrusted_certificate').waitFor();
    await expect(page.getByTestId('certificate-imap-fingerprint').textContent()).resolves.toBe(dovecot.fingerprint256);
    await expect(page.getByTestId('certificate-smtp-fingerprint').textContent()).resolves.toBe(smtp.fingerprint256);
    expect(await page.locator('[data-testid="stage-imap-tls"][data-ok="false"]').count()).toBe(1);
    expect(await page.locator('[data-testid="stage-imap-connect"][data-ok="true"]').count()).toBe(1);
    await screenshot(page, `${locale}-binding-certificate`);
  });

  it('trusts each certificate, then shows the sign-in failure with its fix in the UI language', async () => {
    await page.getByTestId('trust-imap').click();
    await failure(page, 'imap', 'auth_failed').waitFor();
    await page.getByTestId('trust-smtp').click();
    await failure(page, 'smtp', 'auth_failed').waitFor();
    await failure(page, 'imap', 'auth_failed').waitFor();
    await expect(page.getByTestId('fix-imap').textContent()).resolves.toContain(texts.authFix);
    await expect(page.getByTestId('fix-smtp').textContent()).resolves.toContain(texts.authFix);
    expect(await page.locator('[data-testid="stage-imap-tls"][data-ok="true"]').count()).toBe(1);
    expect(await page.locator('[data-testid="stage-imap-auth"][data-ok="false"]').count()).toBe(1);

    // The raw transcript is there to expand, and the server never echoes the password into it.
    await page.getByTestId('transcript-toggle-imap').click();
    await expect(page.getByTestId('transcript-imap').textContent()).resolves.not.toContain('not the password');
    await screenshot(page, `${locale}-binding-auth-failed`);
  });

  it('passes with the right password and saves the mailbox as active', async () => {
    await page.getByTestId('wizard-back').click();
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('wizard-test').click();
    await page.locator('[data-testid="test-summary"][data-ok="true"]').waitFor();
    await expect(page.getByTestId('test-summary').textContent()).resolves.toContain(texts.testOk);
    expect(await page.locator('[data-testid^="stage-"][data-ok="false"]').count()).toBe(0);
    expect(await page.locator('[data-testid^="stage-imap-"][data-ok="true"]').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('[data-testid^="stage-smtp-"][data-ok="true"]').count()).toBeGreaterThanOrEqual(4);
    await screenshot(page, `${locale}-binding-test-ok`);

    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-save').click();
    const row = page.locator(`[data-testid="mailbox-row"][data-email="${user}"]`);
    await row.waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const status = row.getByTestId('mailbox-status');
    await expect(status.getAttribute('data-status')).resolves.toBe('active');
    await expect(status.textContent()).resolves.toBe(texts.active);
    await screenshot(page, `${locale}-binding-list`);
  });

  it('tests the saved mailbox again with its pinned certificates', async () => {
    const row = page.locator(`[data-testid="mailbox-row"][data-email="${user}"]`);
    await row.getByTestId('mailbox-row-menu').click();
    await page.getByTestId('mailbox-test').click();
    await page.locator('[data-testid="test-summary"][data-ok="true"]').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('edits the sync settings, pauses and resumes, and unbinds after confirmation', async () => {
    const row = page.locator(`[data-testid="mailbox-row"][data-email="${user}"]`);
    const menu = async (action: string) => {
      await row.getByTestId('mailbox-row-menu').click();
      await page.getByTestId(action).click();
    };

    await menu('mailbox-settings');
    await page.getByTestId('sync-mode').getByText(texts.interval, { exact: true }).click();
    await page.getByTestId('sync-interval').fill('10');
    await page.getByTestId('mailbox-settings-submit').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await menu('mailbox-settings');
    await expect(page.getByTestId('sync-interval').inputValue()).resolves.toBe('10');
    await screenshot(page, `${locale}-binding-edit-settings`);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await menu('mailbox-pause');
    await row.locator('[data-testid="mailbox-status"][data-status="paused"]').waitFor();
    await expect(row.getByTestId('mailbox-status').textContent()).resolves.toBe(texts.paused);
    await menu('mailbox-resume');
    await row.locator('[data-testid="mailbox-status"]:not([data-status="paused"])').waitFor();

    await menu('mailbox-unbind');
    await page.getByTestId('mailbox-unbind-modal-confirm').click();
    await page.getByTestId('mailboxes-empty').waitFor();
  });
});
