import fs from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, setupFirstAdmin } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The CRM pages against the real API, in English and Chinese: companies and contacts made through the
// UI, search by one Chinese character, notes and tasks, a deal moved across the pipeline, an
// all-or-nothing CSV import of contacts and of companies, the CSV exports, and the dashboard.

interface Texts {
  lead: string;
  qualified: string;
  lost: string;
}

const cases: Array<{ locale: string; tag: string; texts: Texts }> = [
  { locale: 'en-US', tag: 'en', texts: { lead: 'Lead', qualified: 'Qualified', lost: 'Lost' } },
  { locale: 'zh-CN', tag: 'zh', texts: { lead: '线索', qualified: '已确认需求', lost: '输单' } },
];

const admin = { email: 'boss@example.test', name: 'Bea Boss', password: 'admin password 123' };
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await setupFirstAdmin(server.url, admin);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(cases)('CRM pages in $locale', ({ locale, tag, texts }) => {
  let context: BrowserContext;
  let page: Page;
  const company = `星辰科技 ${tag}`;
  const domain = `xingchen-${tag}.test`;
  const zhang = `张伟${tag === 'en' ? '' : '（中）'}`;
  const deal = `ERP ${tag}`;

  async function apiGet(path: string) {
    const res = await context.request.get(path);
    expect(res.status()).toBe(200);
    return res.json();
  }

  async function pickOption(testId: string, typed: string, option: string) {
    await page.getByTestId(testId).click();
    await page.getByTestId(testId).fill(typed);
    await page.getByRole('option', { name: option }).click();
  }

  beforeAll(async () => {
    context = await browser.newContext({ locale, baseURL: server.url, viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    expect((await context.request.post('/api/v1/auth/login', { data: { email: admin.email, password: admin.password } })).status()).toBe(
      200,
    );
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('creates a company and a contact with a Chinese name through the UI', async () => {
    await page.goto('/companies');
    await page.getByTestId('companies-create').click();
    await page.getByTestId('company-form-name').fill(company);
    await page.getByTestId('company-form-domains').fill(domain);
    await page.getByTestId('company-form-domains').press('Enter');
    await page.getByTestId('company-form-industry').fill(tag === 'en' ? 'Software' : '软件');
    await page.getByTestId('company-form-submit').click();
    await page.locator(`[data-testid="company-row"][data-name="${company}"]`).waitFor();

    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-create').click();
    await page.getByTestId('contact-form-name').fill(zhang);
    await page.getByTestId('contact-form-email-0').fill(`zhang.wei@${domain}`);
    await page.getByTestId('contact-form-add-email').click();
    await page.getByTestId('contact-form-email-1').fill(`wei@${domain}`);
    await page.getByTestId('contact-form-phones').fill('+86 138 0000 0000');
    await page.getByTestId('contact-form-phones').press('Enter');
    await pickOption('contact-form-company', '星辰', company);
    await page.getByTestId('contact-form-title').fill(tag === 'en' ? 'CTO' : '技术总监');
    await page.getByTestId('contact-form-tags').fill('VIP');
    await page.getByTestId('contact-form-tags').press('Enter');
    await screenshot(page, `${locale}-crm-contact-form`);
    await page.getByTestId('contact-form-submit').click();
    const row = page.locator(`[data-testid="contact-row"][data-name="${zhang}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(company);
    await expect(row.textContent()).resolves.toContain(`zhang.wei@${domain}`);

    const { items } = await apiGet(`/api/v1/contacts?q=${encodeURIComponent(`wei@${domain}`)}`);
    expect(items[0].emails.map((e: { address: string; isPrimary: boolean }) => [e.address, e.isPrimary])).toEqual([
      [`zhang.wei@${domain}`, true],
      [`wei@${domain}`, false],
    ]);
  });

  it('finds 张伟 by typing 张', async () => {
    await context.request.post('/api/v1/contacts', { data: { name: `Bob ${tag}` }, headers: await csrf() });
    await page.reload();
    await page.locator(`[data-testid="contact-row"][data-name="Bob ${tag}"]`).waitFor();
    await page.getByTestId('contacts-search').fill('张');
    await page.locator(`[data-testid="contact-row"][data-name="Bob ${tag}"]`).waitFor({ state: 'detached' });
    const names = await page.getByTestId('contact-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(names).toContain(zhang);
    expect(names.every((n) => n?.includes('张'))).toBe(true);
    await screenshot(page, `${locale}-crm-contacts-search`);
  });

  it('adds a note and a task with a due date on the contact page', async () => {
    await page.locator(`[data-testid="contact-row"][data-name="${zhang}"]`).getByTestId('contact-link').click();
    await page.getByTestId('record-name').filter({ hasText: zhang }).waitFor();
    await page.getByTestId('tab-activities').click();
    await page.getByTestId('add-note').click();
    await page.getByTestId('activity-form-body').fill(tag === 'en' ? 'Wants a demo next week' : '下周想看演示');
    await page.getByTestId('activity-form-submit').click();
    await page.locator('[data-testid="activity-item"][data-kind="note"]').waitFor();

    await page.getByTestId('add-task').click();
    await page.getByTestId('activity-form-subject').fill(tag === 'en' ? 'Send the quote' : '发送报价');
    await page.getByTestId('activity-form-due').fill('2030-01-15T10:00');
    await page.getByTestId('activity-form-reminder').fill('2030-01-15T09:00');
    await page.getByTestId('activity-form-submit').click();
    const task = page.locator('[data-testid="activity-item"][data-kind="task"]');
    await task.waitFor();
    await expect(task.getByTestId('activity-due').textContent()).resolves.toContain('2030');
    await task.getByTestId('activity-done').click();
    await task.locator('input:checked').waitFor();
    await screenshot(page, `${locale}-crm-contact-activities`);

    const contactId = page.url().split('/').pop()!;
    const { items } = await apiGet(`/api/v1/activities?contactId=${contactId}`);
    expect(items.map((a: { kind: string }) => a.kind).sort()).toEqual(['note', 'task']);
    expect(items.find((a: { kind: string }) => a.kind === 'task')).toMatchObject({
      dueAt: expect.stringContaining('2030-01-15'),
      doneAt: expect.any(String),
    });

    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('timeline-panel').locator('[data-testid="activity-item"][data-kind="task"]').waitFor();
    await expect(page.getByTestId('timeline-panel').locator('[data-testid="activity-item"]').count()).resolves.toBe(2);
  });

  it('creates a deal and moves it across the pipeline, asking for the lost reason', async () => {
    await page.getByTestId('nav-deals').click();
    await page.getByTestId('pipeline-board').waitFor();
    await page.getByTestId('deals-create').click();
    await page.getByTestId('deal-form-name').fill(deal);
    await page.getByTestId('deal-form-amount').fill('120000.50');
    await page.getByTestId('deal-form-close').fill('2030-03-31');
    await pickOption('deal-form-company', '星辰', company);
    await page.getByTestId('deal-form-submit').click();

    const column = (stage: string) => page.locator(`[data-testid="board-column"][data-stage="${stage}"]`);
    const card = page.locator(`[data-testid="deal-card"][data-name="${deal}"]`);
    await column('Lead').locator(`[data-testid="deal-card"][data-name="${deal}"]`).waitFor();
    await expect(column('Lead').textContent()).resolves.toContain(texts.lead);

    await card.getByTestId('deal-card-menu').click();
    await page.locator('[data-testid="deal-move-to"][data-stage="Qualified"]').click();
    await column('Qualified').locator(`[data-testid="deal-card"][data-name="${deal}"]`).waitFor();
    await expect(column('Lead').locator(`[data-testid="deal-card"][data-name="${deal}"]`).count()).resolves.toBe(0);

    // Drag and drop: Playwright's mouse does not start an HTML5 drag in this headless Chromium, so the
    // browser's own drag events are dispatched, with a real DataTransfer carrying the card's data.
    const transfer = await page.evaluateHandle(() => new DataTransfer());
    await card.dispatchEvent('dragstart', { dataTransfer: transfer });
    await column('Proposal').dispatchEvent('dragover', { dataTransfer: transfer });
    await column('Proposal').dispatchEvent('drop', { dataTransfer: transfer });
    await column('Proposal').locator(`[data-testid="deal-card"][data-name="${deal}"]`).waitFor();

    // Lost asks why before anything changes.
    await card.getByTestId('deal-card-menu').click();
    await page.locator('[data-testid="deal-move-to"][data-stage="Lost"]').click();
    await page.getByTestId('lost-reason-input').fill(tag === 'en' ? 'Budget cut' : '预算削减');
    await screenshot(page, `${locale}-crm-lost-reason`);
    await page.getByTestId('lost-reason-submit').click();
    await column('Lost').locator(`[data-testid="deal-card"][data-name="${deal}"]`).waitFor();
    await expect(column('Lost').textContent()).resolves.toContain(texts.lost);
    const { items } = await apiGet(`/api/v1/deals?q=${encodeURIComponent(deal)}`);
    expect(items[0]).toMatchObject({ status: 'lost', amount: '120000.50', lostReason: tag === 'en' ? 'Budget cut' : '预算削减' });
    await screenshot(page, `${locale}-crm-board`);
  });

  it('imports nothing while a row has an error, then imports the fixed file', async () => {
    const bad = `姓名,邮箱,公司,标签\n李娜 ${tag},lina@${domain},${company},客户\n王芳 ${tag},not-an-address,,\n`;
    const good = bad.replace('not-an-address', `wangfang@${tag}-import.test`);
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-import').click();
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    const errorRow = page.locator('[data-testid="csv-import-error-row"][data-row="3"]');
    await errorRow.waitFor();
    await expect(errorRow.textContent()).resolves.toContain('email');
    await expect(page.getByTestId('csv-import-submit').isDisabled()).resolves.toBe(true);
    await screenshot(page, `${locale}-crm-import-errors`);
    expect((await apiGet(`/api/v1/contacts?q=${encodeURIComponent(`李娜 ${tag}`)}`)).items).toEqual([]);

    await input.setInputFiles({ name: 'contacts-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
    await page.getByTestId('csv-import-ready').waitFor();
    await expect(page.getByTestId('csv-import-preview-row').count()).resolves.toBe(2);
    await page.getByTestId('csv-import-submit').click();
    await page.getByTestId('csv-import-submit').waitFor({ state: 'hidden' });
    await page.locator(`[data-testid="contact-row"][data-name="李娜 ${tag}"]`).waitFor();
    const imported = (await apiGet(`/api/v1/contacts?q=${encodeURIComponent(`${tag} `)}&limit=100`)).items;
    expect(imported.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining([`李娜 ${tag}`, `王芳 ${tag}`]));
  });

  it('exports contacts as a CSV file with a BOM and the Chinese names', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('contacts-export').click()]);
    const file = await download.path();
    const bytes = await fs.readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain(zhang);
    expect(download.suggestedFilename()).toBe('contacts.csv');
  });

  it('imports companies from CSV (row errors in words, then an update and a new one) and exports them', async () => {
    const bad = `公司名称,域名,行业\n蓝海贸易 ${tag},lanhai-${tag}.test,贸易\n${company},gmail.com,\n`;
    const good = bad.replace('gmail.com', `xingchen2-${tag}.test`);
    await page.getByTestId('nav-companies').click();
    await page.getByTestId('companies-import').click();
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({ name: 'companies.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    const errorRow = page.locator('[data-testid="csv-import-error-row"][data-row="3"]');
    await errorRow.waitFor();
    await expect(errorRow.getAttribute('data-code')).resolves.toBe('public_mail_domain');
    await expect(errorRow.textContent()).resolves.toContain(tag === 'en' ? 'A public mail domain' : '公共邮箱域名');
    await expect(page.getByTestId('csv-import-submit').isDisabled()).resolves.toBe(true);

    await input.setInputFiles({ name: 'companies-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
    await page.getByTestId('csv-import-ready').waitFor();
    await expect(page.getByTestId('csv-import-preview').textContent()).resolves.toContain(`lanhai-${tag}.test`);
    await screenshot(page, `${locale}-crm-company-import`);
    await page.getByTestId('csv-import-submit').click();
    await page.getByTestId('csv-import-submit').waitFor({ state: 'hidden' });
    await page.locator(`[data-testid="company-row"][data-name="蓝海贸易 ${tag}"]`).waitFor();
    const updated = (await apiGet(`/api/v1/companies?q=${encodeURIComponent(company)}`)).items.find(
      (c: { name: string }) => c.name === company,
    );
    expect(updated.domains).toEqual(expect.arrayContaining([domain, `xingchen2-${tag}.test`]));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('companies-export').click()]);
    expect(download.suggestedFilename()).toBe('companies.csv');
    expect((await fs.readFile(await download.path())).toString('utf8')).toContain(`蓝海贸易 ${tag}`);
  });

  it('shows deals by stage on the dashboard', async () => {
    await page.getByTestId('nav-dashboard').click();
    const stages = page.getByTestId('dashboard-stages-row');
    await stages.first().waitFor();
    const rows = await stages.allTextContents();
    expect(rows).toHaveLength(6);
    expect(rows[0]).toContain(texts.lead);
    expect(rows[1]).toContain(texts.qualified);
    expect(rows.find((r) => r.includes(texts.lost))).toMatch(/^.*[1-9]/);
    await page.getByTestId('dashboard-unanswered').waitFor();
    await screenshot(page, `${locale}-crm-dashboard`);
  });

  async function csrf(): Promise<Record<string, string>> {
    const token = (await context.cookies()).find((c) => c.name === 'tidings_csrf');
    return token ? { 'x-csrf-token': token.value } : {};
  }
});
