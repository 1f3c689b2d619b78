import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.ts';
import { type AppInBrowser, openAppInBrowser, screenshot, setupFirstAdmin } from '../support/browser.ts';

// Settings › Webhooks in the browser, against the real server (its delivery worker runs) and a receiver
// on loopback: add a webhook, see its secret once, send a test event, read the delivery log, replay.

const admin = { email: 'hooks@example.test', name: 'Hana Hooks', password: 'admin password 123' };
let app: AppInBrowser;
let page: Page;
const received: Array<{ delivery: string; event: string }> = [];
let receiver: http.Server;
let receiverUrl: string;

async function signIn(context: BrowserContext): Promise<void> {
  expect((await context.request.post('/api/v1/auth/login', { data: { email: admin.email, password: admin.password } })).status()).toBe(200);
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ delivery: String(req.headers['tidings-delivery']), event: String(req.headers['tidings-event']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tidings`;
  app = await openAppInBrowser({ viewport: { width: 1400, height: 900 } });
  page = app.page;
  await setupFirstAdmin(app.server.url, admin);
  await signIn(app.context);
}, 300_000);

afterAll(async () => {
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('Settings › Webhooks', () => {
  it('adds a webhook, shows its secret once, sends a test event and replays it from the delivery log', async () => {
    await page.goto('/settings/webhooks');
    await page.getByTestId('webhooks-empty').waitFor();
    await expectAccessible(page, 'the empty webhooks page');

    await page.getByTestId('webhooks-create').click();
    const form = page.getByTestId('webhook-form-modal');
    await page.getByTestId('webhook-url').fill(receiverUrl);
    await page.getByTestId('webhook-event-deal.stage_changed').check();
    await page.getByTestId('webhook-event-contact.created').check();
    await expectAccessible(page, 'the add-webhook dialog', '[role="dialog"]');
    await form.getByTestId('webhook-create-submit').click();

    const secret = await page.getByTestId('webhook-secret').textContent();
    expect(secret).toMatch(/whsec_/);
    await expectAccessible(page, 'the secret dialog', '[role="dialog"]');
    await page.getByTestId('webhook-secret-done').click();
    await expect.poll(() => page.getByTestId('webhooks-row').count()).toBe(1);
    await expect.poll(async () => (await page.content()).includes(secret!.trim())).toBe(false);

    await page.getByTestId('webhooks-test').click();
    await expect.poll(() => received.filter((r) => r.event === 'webhook.test').length, { timeout: 15_000 }).toBe(1);

    await page.getByTestId('webhooks-log').click();
    const log = page.getByTestId('webhook-log-modal');
    await expect
      .poll(
        async () => {
          await log.getByTestId('webhook-log-refresh').click();
          return log.getByTestId('webhook-delivery-state').first().textContent();
        },
        { timeout: 15_000 },
      )
      .toBe('Delivered');
    await expectAccessible(page, 'the delivery log', '[role="dialog"]');
    await screenshot(page, 'webhooks-delivery-log');

    await log.getByTestId('webhook-replay').first().click();
    await expect.poll(() => received.filter((r) => r.event === 'webhook.test').length, { timeout: 15_000 }).toBe(2);
    expect(new Set(received.map((r) => r.delivery)).size).toBe(2);
    await expect.poll(() => log.getByTestId('webhook-delivery-row').count()).toBe(2);
  });

  it('reads in Chinese and stays accessible', async () => {
    const context = await app.browser.newContext({ locale: 'zh-CN', baseURL: app.server.url, viewport: { width: 1400, height: 900 } });
    try {
      await signIn(context);
      const zh = await context.newPage();
      await zh.goto('/settings/webhooks');
      await zh.getByTestId('webhooks-row').waitFor();
      expect(await zh.getByRole('heading', { level: 1 }).first().textContent()).toBe('Webhook');
      expect(await zh.getByTestId('webhooks-status').first().textContent()).toBe('已启用');
      await expectAccessible(zh, 'the webhooks page in Chinese');
      await zh.getByTestId('webhooks-create').click();
      await zh.getByTestId('webhook-create-submit').click();
      await zh.getByText('请至少选择一个事件。').waitFor();
      await expectAccessible(zh, 'the add-webhook dialog in Chinese, with errors', '[role="dialog"]');
    } finally {
      await context.close();
    }
  });
});
