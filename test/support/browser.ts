import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from './server.ts';

/** Debian's Chromium; playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = process.env.TIDINGS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium for browser tests. The flags keep it from reaching the network on its own
 * (updates, sync, QUIC probes) so a test talks only to the loopback server it started.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\``);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * Keeps a picture of the page for a person to look at when TIDINGS_E2E_SCREENSHOTS names a folder;
 * does nothing otherwise, so test runs leave no files behind.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.TIDINGS_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/**
 * Creates the first admin through `POST /api/v1/setup`, outside any browser context (so no session
 * cookie lands in one and a later sign-in is the UI's own).
 */
export async function setupFirstAdmin(serverUrl: string, admin: { email: string; name: string; password: string }): Promise<void> {
  const res = await fetch(new URL('/api/v1/setup', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 201) throw new Error(`setup answered ${res.status}: ${await res.text()}`);
}

/**
 * A browser context on a fresh server and a page in it, with the first admin created outside the context
 * (`setupFirstAdmin`), so the sign-in that follows is the UI's own.
 */
export async function contextBeforeSignIn(
  browser: Browser,
  serverUrl: string,
  admin: { email: string; name: string; password: string },
  options: Pick<BrowserContextOptions, 'locale' | 'viewport'> & { timeoutMs: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const { timeoutMs, ...contextOptions } = options;
  const context = await browser.newContext({ ...contextOptions, baseURL: serverUrl });
  context.setDefaultTimeout(timeoutMs);
  await setupFirstAdmin(serverUrl, admin);
  return { context, page: await context.newPage() };
}

/** Signs in through the login page, as a person does; the caller waits for where it should land. */
export async function signInThroughLoginPage(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export interface AppInBrowser {
  server: TestServer;
  browser: Browser;
  /** English, the server as base URL, 15 s default timeout. */
  context: BrowserContext;
  page: Page;
  /** Closes the context and the browser, stops the server. */
  close(): Promise<void>;
}

/** A fresh Tidings server and a headless browser with one context and page on it. */
export async function openAppInBrowser(contextOptions: BrowserContextOptions = {}): Promise<AppInBrowser> {
  const [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const context = await browser.newContext({ locale: 'en-US', baseURL: server.url, ...contextOptions });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return {
    server,
    browser,
    context,
    page,
    async close() {
      await context.close();
      await browser.close();
      await server.stop();
    },
  };
}

/** The CSRF header for a write with the session a browser or API context holds (its tidings_csrf cookie). */
export async function csrfHeader(ctx: {
  storageState(): Promise<{ cookies: Array<{ name: string; value: string }> }>;
}): Promise<Record<string, string>> {
  const csrf = (await ctx.storageState()).cookies.find((c) => c.name === 'tidings_csrf');
  if (!csrf) throw new Error('no tidings_csrf cookie: not signed in');
  return { 'x-csrf-token': csrf.value };
}

/**
 * Walks the local OpenID provider's pages (test/harness/oauth-pages.ts) as a person would: types the device
 * code when asked (`userCode`), signs in with `email` (the harness accepts any password for an account added
 * without one) and allows (or denies) the access. Returns once the browser has left the provider (a popup
 * may close itself then) or the device sign-in says it is done. A browser still signed in skips the login.
 */
export async function clickThroughProvider(
  page: Page,
  issuer: string,
  email: string,
  opts: { consent?: 'allow' | 'deny'; userCode?: string } = {},
): Promise<void> {
  const onProvider = () => !page.isClosed() && page.url().startsWith(issuer);
  await page.waitForURL((url) => url.href.startsWith(issuer), { timeout: 20_000 });
  for (let i = 0; i < 6 && onProvider(); i++) {
    const step = await page
      .locator('[data-step]')
      .first()
      .getAttribute('data-step', { timeout: 20_000 })
      .catch((err: unknown) => {
        if (onProvider()) throw err;
        return null;
      });
    if (step === null || step === 'device-done') return;
    if (step === 'error')
      throw new Error(`the provider shows an error: ${await page.locator('[data-step]').first().getAttribute('data-error')}`);
    const submitted = page.waitForEvent('load', { timeout: 20_000 }).catch(() => undefined);
    if (step === 'login') {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('any password');
      await page.getByRole('button', { name: 'Sign in' }).click();
    } else if (step === 'consent') {
      await page.getByRole('button', { name: opts.consent === 'deny' ? 'Deny' : 'Allow' }).click();
    } else if (step === 'device-input') {
      await page.getByLabel('Code').fill(opts.userCode ?? '');
      await page.getByRole('button', { name: 'Next' }).click();
    } else if (step === 'device-confirm') {
      await page.getByRole('button', { name: 'Continue' }).click();
    } else {
      throw new Error(`unexpected provider page "${step}" at ${page.url()}`);
    }
    await submitted;
  }
}

/**
 * The open record's Timeline mail rows once there are `count`: linking runs after a contact is saved and
 * the Timeline loads once, so the page is reloaded until they are there.
 */
export async function timelineMailsOnceLinked(page: Page, count: number): Promise<Locator> {
  const mails = page.getByTestId('timeline-panel').getByTestId('timeline-mail');
  await expect
    .poll(
      async () => {
        if ((await mails.count()) >= count) return mails.count();
        await page.reload();
        await page.getByTestId('timeline-panel').waitFor();
        return mails.count();
      },
      { timeout: 60_000, interval: 1000 },
    )
    .toBe(count);
  return mails;
}
