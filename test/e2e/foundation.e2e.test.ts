import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot as snap } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The first web user journey, once per UI language: setup → admin creates a member → the member signs in.
// Texts are asserted in the language the browser asks for, so a missing translation fails here.

interface Texts {
  /** Page titles by navbar test id, in navbar order. */
  pages: Record<string, string>;
  setupTitle: string;
  inboxEmpty: string;
  users: string;
  roleMember: string;
  signOut: string;
  loginTitle: string;
  invalidCredentials: string;
  adminOnly: string;
}

const cases: { locale: string; htmlLang: string; texts: Texts }[] = [
  {
    locale: 'en-US',
    htmlLang: 'en',
    texts: {
      pages: {
        'nav-inbox': 'Inbox',
        'nav-contacts': 'Contacts',
        'nav-companies': 'Companies',
        'nav-deals': 'Deals',
        'nav-mailboxes': 'Mailboxes',
        'nav-users': 'Users',
        'nav-security': 'Security',
        'nav-tokens': 'API tokens',
      },
      setupTitle: 'Set up Tidings',
      inboxEmpty: 'Mail appears here once a mailbox is bound.',
      users: 'Users',
      roleMember: 'Member',
      signOut: 'Sign out',
      loginTitle: 'Sign in to Tidings',
      invalidCredentials: 'The email or password is incorrect.',
      adminOnly: 'Only admins can manage users',
    },
  },
  {
    locale: 'zh-CN',
    htmlLang: 'zh-CN',
    texts: {
      pages: {
        'nav-inbox': '收件箱',
        'nav-contacts': '联系人',
        'nav-companies': '公司',
        'nav-deals': '商机',
        'nav-mailboxes': '邮箱配置',
        'nav-users': '用户',
        'nav-security': '安全',
        'nav-tokens': 'API 令牌',
      },
      setupTitle: '初始化 Tidings',
      inboxEmpty: '邮箱绑定后,邮件会显示在这里。',
      users: '用户',
      roleMember: '成员',
      signOut: '退出登录',
      loginTitle: '登录 Tidings',
      invalidCredentials: '邮箱地址或密码不正确。',
      adminOnly: '仅管理员可以管理用户',
    },
  },
];

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(cases)('foundation journey in $locale', ({ locale, htmlLang, texts }) => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  const admin = { name: locale === 'zh-CN' ? '王管理' : 'Ada Admin', email: 'admin@example.test', password: 'correct horse battery' };
  const member = { name: locale === 'zh-CN' ? '李成员' : 'Max Member', email: 'member@example.test', password: 'member password 1' };

  // The first start may build web/dist, which takes a while on a busy 2-core machine.
  beforeAll(async () => {
    server = await startTestServer();
    context = await browser.newContext({ locale, baseURL: server.url, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  it('sends a fresh install to setup, in the browser language', async () => {
    await page.goto('/');
    await page.waitForURL('**/setup');
    await expect(page.getByTestId('page-title').textContent()).resolves.toBe(texts.setupTitle);
    expect(await page.locator('html').getAttribute('lang')).toBe(htmlLang);
    await snap(page, `${locale}-setup`);
  });

  it('creates the first admin and signs them in', async () => {
    await page.getByTestId('setup-name').fill(admin.name);
    await page.getByTestId('setup-email').fill(admin.email);
    await page.getByTestId('setup-password').fill(admin.password);
    await page.getByTestId('setup-confirm').fill(admin.password);
    await page.getByTestId('setup-submit').click();
    await page.waitForURL('**/inbox');
    await page.getByText(texts.inboxEmpty).waitFor();
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain(admin.name);
  });

  it('lets the admin create a member on Settings › Users', async () => {
    await page.getByTestId('nav-users').click();
    await page.waitForURL('**/settings/users');
    await expect(page.getByTestId('nav-users').textContent()).resolves.toBe(texts.users);
    await page.locator('[data-testid="users-row"][data-email="admin@example.test"]').waitFor();

    await page.getByTestId('users-create').click();
    await page.getByTestId('user-form-email').fill(member.email);
    await page.getByTestId('user-form-name').fill(member.name);
    await page.getByTestId('user-form-password').fill(member.password);
    await page.getByTestId('user-form-submit').click();

    const row = page.locator(`[data-testid="users-row"][data-email="${member.email}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(member.name);
    await expect(row.textContent()).resolves.toContain(texts.roleMember);
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('shows every page of the navbar with its translated title', async () => {
    for (const [navId, title] of Object.entries(texts.pages)) {
      await page.getByTestId(navId).click();
      await page.getByTestId('page-title').getByText(title, { exact: true }).waitFor();
      await expect(page.getByTestId(navId).textContent()).resolves.toBe(title);
      await snap(page, `${locale}-${navId.replace('nav-', '')}`);
    }
  });

  it('signs the admin out', async () => {
    await page.getByTestId('user-menu').click();
    await expect(page.getByTestId('sign-out').textContent()).resolves.toBe(texts.signOut);
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/login');
    await expect(page.getByTestId('page-title').textContent()).resolves.toBe(texts.loginTitle);
  });

  it('shows a translated error for a wrong password', async () => {
    await page.getByTestId('login-email').fill(member.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain(texts.invalidCredentials);
    await snap(page, `${locale}-login`);
  });

  it('signs the member in to the shell without the users admin table', async () => {
    await page.getByTestId('login-password').fill(member.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/inbox');
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain(member.name);
    await expect(page.getByTestId('nav-users').textContent()).resolves.toBe(texts.users);

    await page.getByTestId('nav-users').click();
    await page.waitForURL('**/settings/users');
    await page.getByText(texts.adminOnly).waitFor();
    expect(await page.getByTestId('users-table').count()).toBe(0);
    expect(await page.getByTestId('users-create').count()).toBe(0);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').getByText(texts.signOut).waitFor();
    await snap(page, `${locale}-member-users`);
  });
});
