import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInBrowser, csrfHeader, openAppInBrowser, screenshot, signInThroughLoginPage } from '../support/browser.ts';
import type { TestServer } from '../support/server.ts';

// The admin settings pages against the real API: API tokens (secret shown once, revoke), user edit,
// password reset, deactivation as a member experiences it, and the language switch.

const admin = { email: 'boss@example.test', name: 'Bea Boss', password: 'admin password 123' };
const member = { email: 'sam@example.test', name: 'Sam Seller', password: 'member password 123' };

let app: AppInBrowser;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function apiStatus(path: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(new URL(path, server.url), { ...init, signal: AbortSignal.timeout(15_000) });
  await response.body?.cancel();
  return response.status;
}

function userRow(email: string) {
  return page.locator(`[data-testid="users-row"][data-email="${email}"]`);
}

async function rowAction(email: string, action: string): Promise<void> {
  await userRow(email).getByTestId('users-row-menu').click();
  await page.getByTestId(action).click();
}

beforeAll(async () => {
  app = await openAppInBrowser();
  ({ server, browser, context, page } = app);
  // The admin is made through the API (the setup page has its own test); the context keeps the session.
  const setup = await context.request.post('/api/v1/setup', { data: admin });
  expect(setup.status()).toBe(201);
  const created = await context.request.post('/api/v1/users', {
    data: { ...member, role: 'member' },
    headers: await csrfHeader(context),
  });
  expect(created.status()).toBe(201);
}, 300_000);

afterAll(() => app?.close());

describe('API tokens page', () => {
  let secret = '';

  it('creates a token and shows its secret once', async () => {
    await page.goto('/settings/tokens');
    await page.getByTestId('tokens-empty').waitFor();
    await page.getByTestId('tokens-create').click();
    await page.getByTestId('token-name').fill('Report script');
    await page.getByTestId('token-password').fill(admin.password);
    await page.getByTestId('token-create-submit').click();

    secret = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await expect(page.getByTestId('token-secret-warning').textContent()).resolves.toContain('only time');
    expect(await apiStatus('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).toBe(200);
    await screenshot(page, 'en-US-token-secret');

    await page.getByTestId('token-secret-done').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(page.getByTestId('tokens-row').textContent()).resolves.toContain('Report script');
    expect(await page.content()).not.toContain(secret);
  });

  it('revokes the token after confirmation', async () => {
    await page.getByTestId('tokens-revoke').click();
    await page.getByTestId('tokens-revoke-modal-confirm').click();
    await page.getByTestId('tokens-empty').waitFor();
    expect(await apiStatus('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).toBe(401);
  });
});

describe('Users page', () => {
  it('edits a member and makes them an admin', async () => {
    await page.getByTestId('nav-users').click();
    await rowAction(member.email, 'users-edit');
    await page.getByTestId('user-form-name').fill('Samuel Seller');
    await page.getByTestId('user-form-role').click();
    await page.getByRole('option', { name: 'Admin' }).click();
    await page.getByTestId('user-form-submit').click();
    await userRow(member.email).getByText('Samuel Seller').waitFor();
    await expect(userRow(member.email).textContent()).resolves.toContain('Admin');
  });

  it('resets a password so the old one stops working', async () => {
    await rowAction(member.email, 'users-reset-password');
    await page.getByTestId('reset-password-new').fill('brand new password 9');
    await page.getByTestId('reset-password-confirm').fill('brand new password 9');
    await page.getByTestId('reset-password-submit').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const login = (password: string) =>
      apiStatus('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: member.email, password }),
      });
    expect(await login(member.password)).toBe(401);
    expect(await login('brand new password 9')).toBe(200);
  });

  it('deactivates a user, who then cannot sign in, and reactivates them', async () => {
    await rowAction(member.email, 'users-deactivate');
    await page.getByTestId('users-deactivate-modal-confirm').click();
    await userRow(member.email).getByText('Deactivated').waitFor();

    const other = await browser.newContext({ locale: 'en-US', baseURL: server.url });
    try {
      const memberPage = await other.newPage();
      await signInThroughLoginPage(memberPage, member.email, 'brand new password 9');
      await expect(memberPage.getByTestId('login-error').textContent()).resolves.toContain('has been deactivated');
    } finally {
      await other.close();
    }

    await rowAction(member.email, 'users-reactivate');
    await userRow(member.email).getByText('Active').waitFor();
  });
});

describe('language switch', () => {
  it('switches to 简体中文, stores the choice on the account and keeps it after a reload', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').click();
    await expect(page.getByTestId('nav-users').textContent()).resolves.toBe('用户');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await expect
      .poll(async () => ((await (await context.request.get('/api/v1/me')).json()) as { user: { locale: string } }).user.locale)
      .toBe('zh-CN');

    await page.reload();
    await expect(page.getByTestId('page-title').textContent()).resolves.toBe('用户');
    await screenshot(page, 'zh-CN-users-admin');
  });
});
