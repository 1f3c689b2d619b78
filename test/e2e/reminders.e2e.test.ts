import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInBrowser, csrfHeader, openAppInBrowser, screenshot, setupFirstAdmin } from '../support/browser.ts';
import type { TestServer } from '../support/server.ts';

// Task reminders in the browser: the bell lists a reminder that was already due, a reminder that comes
// due while the page is open pops up live (the real server's sweeper, over the event stream), and the
// bell's Dismiss and Mark done settle them.

const admin = { email: 'rem@example.test', name: 'Rita Reminder', password: 'admin password 123' };
let app: AppInBrowser;
let server: TestServer;
let context: BrowserContext;
let page: Page;
let request: APIRequestContext;

async function post(path: string, data: unknown) {
  const res = await request.post(path, { data, headers: await csrfHeader(context) });
  expect(res.status()).toBe(201);
  return res.json();
}

async function dueReminders(): Promise<Array<{ taskId: string }>> {
  const res = await request.get('/api/v1/reminders');
  expect(res.status()).toBe(200);
  return (await res.json()).items;
}

beforeAll(async () => {
  app = await openAppInBrowser({ viewport: { width: 1280, height: 800 } });
  ({ server, context, page } = app);
  await setupFirstAdmin(server.url, admin);
  request = context.request;
  expect((await request.post('/api/v1/auth/login', { data: { email: admin.email, password: admin.password } })).status()).toBe(200);
}, 300_000);

afterAll(() => app?.close());

describe('Task reminders in the browser', () => {
  let overdue: { id: string };
  let contact: { id: string };

  it('lists a reminder that was already due in the header bell', async () => {
    const company = (await post('/api/v1/companies', { name: 'Northwind', domains: ['northwind.test'] })).company;
    contact = (await post('/api/v1/contacts', { name: 'Nancy Davolio', companyId: company.id, emails: ['nancy@northwind.test'] })).contact;
    overdue = (
      await post('/api/v1/activities', {
        kind: 'task',
        subject: 'Send the renewal quote',
        contactId: contact.id,
        companyId: company.id,
        dueAt: new Date(Date.now() - 30 * 60_000).toISOString(),
        reminderAt: new Date(Date.now() - 60 * 60_000).toISOString(),
      })
    ).activity;
    // The server's sweeper fires it within its interval (10 s).
    await expect.poll(async () => (await dueReminders()).map((r) => r.taskId), { timeout: 30_000, interval: 500 }).toEqual([overdue.id]);

    await page.goto('/contacts');
    await expect.poll(() => page.getByTestId('reminder-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('1');
    await page.getByTestId('reminder-bell').click();
    const item = page.locator(`[data-testid="reminder-item"][data-task-id="${overdue.id}"]`);
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('Send the renewal quote');
    await expect(item.textContent()).resolves.toContain('Due ');
    await expect(item.getByTestId('reminder-link').first().getAttribute('href')).resolves.toBe(`/contacts/${contact.id}`);
    await expect(item.getByTestId('reminder-link').nth(1).textContent()).resolves.toBe('Northwind');
    await screenshot(page, 'reminders-bell');
    await page.keyboard.press('Escape');
    await page.getByTestId('reminder-menu').waitFor({ state: 'hidden' });
  });

  it('pops up a reminder that comes due while the page is open', async () => {
    const soon = (
      await post('/api/v1/activities', {
        kind: 'task',
        subject: 'Call Nancy back',
        contactId: contact.id,
        reminderAt: new Date(Date.now() + 3_000).toISOString(),
      })
    ).activity;
    const popup = page.getByTestId('reminder-popup');
    await popup.waitFor({ timeout: 30_000 });
    await expect(popup.textContent()).resolves.toContain('Call Nancy back');
    // Only the new one pops up: the reminder already due when the page opened sits in the bell.
    await expect(popup.count()).resolves.toBe(1);
    await expect.poll(() => page.getByTestId('reminder-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('2');
    await screenshot(page, 'reminders-popup');
    // The pop-up's link opens the contact and closes the pop-up.
    await popup.getByTestId('reminder-link').click();
    await page.waitForURL(`**/contacts/${contact.id}`);
    await popup.waitFor({ state: 'detached' });

    await page.getByTestId('reminder-bell').click();
    await page.locator(`[data-testid="reminder-item"][data-task-id="${overdue.id}"]`).getByTestId('reminder-dismiss').click();
    await page.locator(`[data-testid="reminder-item"][data-task-id="${soon.id}"]`).getByTestId('reminder-done').click();
    await page.getByTestId('reminder-empty').waitFor();
    await expect.poll(() => page.getByTestId('reminder-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('0');

    await expect.poll(async () => (await dueReminders()).length, { timeout: 15_000 }).toBe(0);
    const open = await (await request.get('/api/v1/activities?kind=task&open=true')).json();
    // Dismissed is not done: the overdue task stays open; the other one was marked done.
    expect(open.items.map((a: { id: string }) => a.id)).toEqual([overdue.id]);
  });
});
