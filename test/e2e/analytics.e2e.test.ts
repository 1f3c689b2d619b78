import fs from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.ts';
import { csrfHeader, launchBrowser, screenshot, setupFirstAdmin } from '../support/browser.ts';
import { insertMailbox, insertUser } from '../support/rows.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The dashboard's charts in the browser, in English and Chinese: every chart draws the seeded data,
// the owner filter changes what they show, a chart's CSV downloads with its figures, and axe-core
// finds no WCAG 2 A/AA violation.

const admin = { email: 'chart@example.test', name: 'Chen Chart', password: 'admin password 123' };
const CHARTS = [
  'mail-per-week',
  'mail-by-company',
  'first-reply',
  'unanswered-age',
  'pipeline-by-stage',
  'pipeline-over-time',
  'win-rate',
  'forecast',
  'revenue-per-month',
  'top-customers',
];
const cases = [
  { locale: 'en-US', title: 'Analytics', anyone: 'Everyone' },
  { locale: 'zh-CN', title: '数据分析', anyone: '所有人' },
];
const HOUR = 3_600_000;
let server: TestServer;
let browser: Browser;
let idleId: string;

/** Rows straight into the server's database: a mailbox of the admin's with a customer's mail and replies. */
async function seedMail(ownerId: string, companyId: string): Promise<void> {
  const db = server.db;
  const box = await insertMailbox(db, ownerId, 'chen@ours.test', { visibility: 'private' });
  const at = (days: number, hours = 0) => new Date(Date.now() - days * 24 * HOUR + hours * HOUR);
  for (const [days, replyAfter] of [
    [3, 2],
    [10, 5],
    [20, null],
  ] as const) {
    const thread = await db
      .insertInto('threads')
      .values({ mailbox_id: box, thread_key: randomUUID() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const messages = [{ from: 'li@kehu.test', to: 'chen@ours.test', date: at(days) }];
    if (replyAfter !== null) messages.push({ from: 'chen@ours.test', to: 'li@kehu.test', date: at(days, replyAfter) });
    for (const m of messages) {
      const row = await db
        .insertInto('messages')
        .values({
          mailbox_id: box,
          thread_id: thread.id,
          subject: '报价',
          date: m.date,
          raw_sha256: randomUUID(),
          from: JSON.stringify([{ name: null, address: m.from }]),
          to: JSON.stringify([{ name: null, address: m.to }]),
          cc: '[]',
          bcc: '[]',
          reply_to: '[]',
          participants: [m.from, m.to],
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // What the linker would write for kehu.test, the company's domain.
      await db.insertInto('message_links').values({ message_id: row.id, company_id: companyId, contact_id: null, role: 'from' }).execute();
    }
  }
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await setupFirstAdmin(server.url, admin);
  const context = await browser.newContext({ baseURL: server.url });
  const request = context.request;
  expect((await request.post('/api/v1/auth/login', { data: { email: admin.email, password: admin.password } })).status()).toBe(200);
  const headers = await csrfHeader(context);
  const post = async (path: string, data: unknown) => {
    const res = await request.post(path, { data, headers });
    expect(res.status(), await res.text()).toBe(201);
    return res.json();
  };
  const me = (await (await request.get('/api/v1/me')).json()).user;
  const company = (await post('/api/v1/companies', { name: '客户科技', domains: ['kehu.test'] })).company;
  const stages = (await (await request.get('/api/v1/pipeline/stages')).json()).items;
  const nextMonth = new Date(Date.now() + 20 * 24 * HOUR).toISOString().slice(0, 10);
  await post('/api/v1/deals', { name: 'ERP', currency: 'CNY', amount: '88000', stageId: stages[1].id, expectedCloseDate: nextMonth });
  await post('/api/v1/deals', { name: 'CRM', currency: 'CNY', amount: '12000', stageId: stages.find((s: any) => s.kind === 'won').id });
  await post('/api/v1/deals', {
    name: 'Old',
    currency: 'CNY',
    amount: '5000',
    stageId: stages.find((s: any) => s.kind === 'lost').id,
    lostReason: 'budget',
  });
  const day = (days: number) => new Date(Date.now() - days * 24 * HOUR).toISOString().slice(0, 10);
  for (const [days, price] of [
    [5, '1200'],
    [40, '800.5'],
  ] as const) {
    await post('/api/v1/purchases', {
      companyId: company.id,
      purchasedOn: day(days),
      items: [{ name: '服务', quantity: '1', unitPrice: price }],
      currency: 'CNY',
    });
  }
  await seedMail(me.id, company.id);
  idleId = await insertUser(server.db, { email: 'idle@example.test', name: 'Ida Idle', role: 'member' });
  await context.close();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(cases)('The analytics dashboard in $locale', ({ locale, title, anyone }) => {
  let context: BrowserContext;
  let page: Page;
  const card = (name: string) => page.getByTestId(`chart-${name}`);

  beforeAll(async () => {
    context = await browser.newContext({ locale, baseURL: server.url, viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    expect((await context.request.post('/api/v1/auth/login', { data: { email: admin.email, password: admin.password } })).status()).toBe(
      200,
    );
    page = await context.newPage();
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: title }).waitFor();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('draws every chart with the seeded data', async () => {
    for (const name of CHARTS) {
      await expect.poll(() => card(name).getAttribute('data-has-data'), { timeout: 15_000 }).toBe('true');
      await card(name).locator('svg.recharts-surface').first().waitFor();
    }
    const note = await page.getByTestId('chart-first-reply-note').textContent();
    // Two of three conversations answered, after 2 and 5 hours: the median is 3.5 hours.
    expect(note).toContain(locale === 'zh-CN' ? '3.5' : '3.5 hr');
    expect(note).toMatch(locale === 'zh-CN' ? /3 个会话中已回复 2 个/ : /2 of 3 conversations/);
    expect(await page.getByTestId('chart-win-rate-note').textContent()).toContain('50%');
    await screenshot(page, `${locale}-analytics`);
  });

  it('changes the charts when the owner filter changes', async () => {
    await page.getByTestId('analytics-owner').click();
    await page.getByRole('option', { name: 'Ida Idle' }).click();
    await expect.poll(() => card('mail-per-week').getAttribute('data-has-data')).toBe('false');
    await expect.poll(() => card('revenue-per-month').getAttribute('data-has-data')).toBe('false');
    await page.getByTestId('analytics-owner').click();
    await page.getByRole('option', { name: anyone }).click();
    await expect.poll(() => card('mail-per-week').getAttribute('data-has-data')).toBe('true');
    expect(idleId).toBeTruthy();
  });

  it("downloads a chart's figures as CSV", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-revenue-per-month-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^revenue-per-month_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await fs.readFile(await download.path())).toString('utf8');
    expect(text.startsWith('\uFEFFmonth,currency,purchases,amount\r\n')).toBe(true);
    expect(text).toContain(',CNY,1,1200.00\r\n');
    expect(text).toContain(',CNY,1,800.50\r\n');
  });

  it('passes axe-core', async () => {
    await expectAccessible(page, `the analytics dashboard (${locale})`);
  });
});
