import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotInstance } from '../harness/index.ts';
import { launchBrowser, screenshot, signInThroughLoginPage } from '../support/browser.ts';
import { type MailEnv, startMailEnv } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';

// Another user's view of a shared mailbox, in the browser: mailbox A (the admin's, user 1) is made
// subject-only, then metadata-only; user 2 signs in through the login page, finds the message in the inbox
// and by search (in English and in Chinese), opens it, and sees only what that level shares. The attachment,
// raw source and HTML body endpoints refuse user 2's own browser session.

const PASSWORD = 'mailbox secret 42';
const MEMBER_PASSWORD = 'member password 123';
const PDF = randomBytes(3000);

const cases = [
  {
    locale: 'en-US',
    member: 'mo@example.test',
    texts: { hidden: '(subject not shared)', subjectOnly: 'The owner shares only subjects of this mailbox.' },
  },
  { locale: 'zh-CN', member: 'wang.member@example.test', texts: { hidden: '(主题未共享)', subjectOnly: '邮箱所有者仅共享主题' } },
];
const OWNER = 'owner@example.test';
const REPORTS = 60;

const SUBJECT = 'Quarterly contract 合同续签';
const SENDER = 'zhang.wei@example.cn';
/** Words only the body holds: a subject-only reader can neither see nor find them. */
const BODY = 'The confidential discount is seventeen percent 机密折扣';

let browser: Browser;
let dovecot: DovecotInstance;
let env: MailEnv;
let messageId = '';
let attachmentId = '';
/** User 2's signed-in browser, one per UI language (the language follows the browser's). */
const members = new Map<string, { context: BrowserContext; page: Page }>();

// One server and one bound mailbox for both languages: the second user signs in once per language.
beforeAll(async () => {
  [browser, dovecot] = await Promise.all([launchBrowser(), startDovecot({ tls: 'self-signed' })]);
  const raw = await buildMessage({
    from: `Zhang Wei <${SENDER}>`,
    to: OWNER,
    subject: SUBJECT,
    date: new Date(Date.now() - 3600_000),
    messageId: '<contract-1@example.cn>',
    text: BODY,
    html: `<p>${BODY}</p>`,
    attachments: [{ filename: 'discount-terms.pdf', contentType: 'application/pdf', content: PDF }],
  });
  // More matches of one word than a page holds, older than the message above: the search's "load more".
  const reports = await Promise.all(
    Array.from({ length: REPORTS }, (_, n) =>
      buildMessage({
        from: 'Reports <reports@example.org>',
        to: OWNER,
        subject: `Weekly report ${n + 1}`,
        date: new Date(Date.now() - (n + 2) * 86_400_000),
        messageId: `<weekly-${n}@example.org>`,
        text: 'Numbers inside.',
      }),
    ),
  );
  env = await startMailEnv({ browser, dovecot, locale: 'en-US', user: OWNER, password: PASSWORD, messages: [raw, ...reports] });
  const list = await env.call('GET', '/api/v1/messages?limit=1');
  messageId = list.data.items[0].id;
  attachmentId = (await env.call('GET', `/api/v1/messages/${messageId}`)).data.attachments[0].id;
  expect((await env.call('PATCH', `/api/v1/mailboxes/${env.mailboxId}`, { visibility: 'subject_only' })).status).toBe(200);
  for (const { locale, member } of cases) {
    expect(
      (await env.call('POST', '/api/v1/users', { email: member, name: 'Mo Member', role: 'member', password: MEMBER_PASSWORD })).status,
    ).toBe(201);
    const context = await browser.newContext({ locale, baseURL: env.server.url, viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    members.set(locale, { context, page });
    await signInThroughLoginPage(page, member, MEMBER_PASSWORD);
    await page.waitForURL('**/inbox');
  }
}, 300_000);

afterAll(async () => {
  for (const { context } of members.values()) await context.close();
  await env?.stop();
  await browser?.close();
  await dovecot?.stop();
});

function as(locale: string) {
  const { context, page } = members.get(locale)!;
  return {
    page,
    rows: () => page.getByTestId('message-row'),
    card: () => page.locator(`[data-testid="thread-message"][data-message-id="${messageId}"]`),
    async search(q: string) {
      await page.getByTestId('search-input').fill(q);
      await page.getByTestId('search-input').press('Enter');
    },
    /** What user 2's own browser session gets from the mail endpoints. */
    statusOf: async (path: string) => (await context.request.get(path)).status(),
    detail: async () => (await context.request.get(`/api/v1/messages/${messageId}`)).json(),
  };
}

describe.each(cases)('a second user reads a subject-only mailbox in $locale', ({ locale, texts }) => {
  it('finds the message in the inbox and by subject, not by body; opened, it shows subject, sender and date, no body, attachment or source', async () => {
    const { page, rows, card, search } = as(locale);
    await rows().filter({ hasText: SUBJECT }).waitFor();
    await expect(rows().first().textContent()).resolves.not.toContain('confidential');

    await search('contract');
    await expect.poll(() => page.getByTestId('row-subject').allTextContents(), { timeout: 10_000 }).toEqual([SUBJECT]);
    // A body word finds nothing: the index refuses body matches for this reader.
    await search('seventeen');
    await page.getByTestId('message-list-empty').waitFor();
    await search('合同续签');
    await expect.poll(() => page.getByTestId('row-subject').allTextContents(), { timeout: 10_000 }).toEqual([SUBJECT]);

    await rows().first().getByTestId('row-open').click();
    await card().waitFor();
    await expect(page.getByTestId('thread-subject').textContent()).resolves.toBe(SUBJECT);
    await expect(card().getByTestId('sender-name').textContent()).resolves.toContain('Zhang Wei');
    await expect(card().getByTestId('thread-message-date').textContent()).resolves.toMatch(/\d/);
    await expect(card().getByTestId('body-restricted').getAttribute('data-access')).resolves.toBe('subject');
    await expect(card().getByTestId('body-restricted').textContent()).resolves.toBe(texts.subjectOnly);
    for (const id of ['message-text', 'message-html', 'attachment-link', 'attachments', 'message-source'])
      expect(await card().getByTestId(id).count(), id).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/confidential|seventeen|机密折扣|discount-terms/);
    await screenshot(page, `${locale}-visibility-subject-only`);
  });

  it('gets 404 from the attachment, raw source and HTML body endpoints with its own session (the owner gets 200)', async () => {
    const { statusOf, detail } = as(locale);
    expect(await statusOf(`/api/v1/attachments/${attachmentId}`)).toBe(404);
    expect(await statusOf(`/api/v1/messages/${messageId}/raw`)).toBe(404);
    expect(await statusOf(`/api/v1/messages/${messageId}/html`)).toBe(404);
    expect(await detail()).toMatchObject({ subject: SUBJECT, text: null, html: null, attachments: [], snippet: null, access: 'subject' });
    // The same calls work for the owner, so the refusals above are about visibility.
    expect((await env.context.request.get(`/api/v1/attachments/${attachmentId}`)).status()).toBe(200);
    expect((await env.context.request.get(`/api/v1/messages/${messageId}/raw`)).status()).toBe(200);
  });
});

describe('a search with more results than a page', () => {
  it('shows the first page and the rest on "load more", each message once, to the second user', async () => {
    const { page, search } = as('en-US');
    const ids = () => page.getByTestId('message-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));
    await search('weekly');
    await expect.poll(async () => (await ids()).length, { timeout: 10_000 }).toBe(50);
    await page.getByTestId('message-list-more').click();
    await expect.poll(async () => (await ids()).length, { timeout: 10_000 }).toBe(REPORTS);
    expect(new Set(await ids()).size).toBe(REPORTS);
    await page.getByTestId('message-list-more').waitFor({ state: 'detached' });
    const subjects = await page.getByTestId('row-subject').allTextContents();
    expect(new Set(subjects)).toEqual(new Set(Array.from({ length: REPORTS }, (_, n) => `Weekly report ${n + 1}`)));
  });
});

describe.each(cases)('a second user reads a metadata-only mailbox in $locale', ({ locale, texts }) => {
  beforeAll(async () => {
    expect((await env.call('PATCH', `/api/v1/mailboxes/${env.mailboxId}`, { visibility: 'metadata_only' })).status).toBe(200);
  });

  it('sees no subject in the list, the search or the opened message; finds it by sender only; files still refused', async () => {
    const { page, rows, card, search, statusOf, detail } = as(locale);
    await page.goto('/inbox');
    await expect
      .poll(async () => new Set(await page.getByTestId('row-subject').allTextContents()), { timeout: 10_000 })
      .toEqual(new Set([texts.hidden]));

    await search('contract');
    await page.getByTestId('message-list-empty').waitFor();
    await search(SENDER);
    await expect.poll(() => page.getByTestId('row-subject').allTextContents(), { timeout: 10_000 }).toEqual([texts.hidden]);

    await rows().first().getByTestId('row-open').click();
    await card().waitFor();
    await expect(page.getByTestId('thread-subject').textContent()).resolves.toBe(texts.hidden);
    await expect(card().getByTestId('sender-name').textContent()).resolves.toContain('Zhang Wei');
    await expect(card().getByTestId('thread-message-date').textContent()).resolves.toMatch(/\d/);
    await expect(card().getByTestId('body-restricted').getAttribute('data-access')).resolves.toBe('metadata');
    for (const id of ['message-text', 'message-html', 'attachment-link', 'attachments', 'message-source'])
      expect(await card().getByTestId(id).count(), id).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/Quarterly|contract|合同续签|confidential|discount-terms/);
    await screenshot(page, `${locale}-visibility-metadata-only`);

    expect(await statusOf(`/api/v1/attachments/${attachmentId}`)).toBe(404);
    expect(await statusOf(`/api/v1/messages/${messageId}/raw`)).toBe(404);
    expect(await statusOf(`/api/v1/messages/${messageId}/html`)).toBe(404);
    expect(await detail()).toMatchObject({ subject: null, text: null, attachments: [], access: 'metadata' });
  });
});
