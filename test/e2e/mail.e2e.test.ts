import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { screenshot } from '../support/browser.ts';
import { mailServersPerFile, type MailEnv, serverFlags, startMailEnv } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';
import { waitFor } from '../support/wait.ts';

// The mail reader, once per UI language, against a real server that imports a real Dovecot mailbox:
// the list (a Chinese subject), a two-message thread in order, an attachment download, an inline image,
// flags and delete applied on the server, new mail arriving live, keyboard shortcuts, the sender card and
// Gmail labels as tags (Dovecot has no labels: the test gives a stored message the labels Gmail sync would).

const PASSWORD = 'mailbox secret 42';
const PDF = randomBytes(5000);
// A 1×1 PNG for the inline (cid:) image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const cases = [
  {
    locale: 'en-US',
    user: 'alice@example.test',
    texts: { unread: 'Unread', create: 'Create contact', help: 'Keyboard shortcuts', important: 'Important', labels: 'Labels' },
  },
  {
    locale: 'zh-CN',
    user: 'wang@example.test',
    texts: { unread: '未读', create: '创建联系人', help: '键盘快捷键', important: '重要', labels: '标签' },
  },
];

function mailFor(tag: string) {
  const t0 = Date.now() - 6 * 3600_000;
  const at = (h: number) => new Date(t0 + h * 3600_000);
  return Promise.all([
    buildMessage({
      from: 'Zhang Wei <zhang.wei@example.cn>',
      subject: 'Quarterly plan',
      date: at(0),
      messageId: `<plan-1-${tag}@example.cn>`,
      text: 'First message of the plan thread.',
      html: '<p>First message of the plan thread.</p>',
    }),
    buildMessage({
      from: 'Li Na <li.na@example.cn>',
      subject: 'Re: Quarterly plan',
      date: at(1),
      messageId: `<plan-2-${tag}@example.cn>`,
      inReplyTo: `<plan-1-${tag}@example.cn>`,
      text: 'Second message: the reply.',
      html: '<p>Second message: <b>the reply</b>.</p>',
    }),
    buildMessage({
      from: '张伟 <zhangwei@example.cn>',
      subject: '关于合同的报价',
      date: at(2),
      messageId: `<quote-${tag}@example.cn>`,
      text: '您好，附件是本季度的报价单，请查收。',
      attachments: [{ filename: '报价单.pdf', contentType: 'application/pdf', content: PDF }],
    }),
    buildMessage({
      from: 'Design <design@example.org>',
      subject: 'Logo inside',
      date: at(3),
      messageId: `<logo-${tag}@example.org>`,
      html: '<p>Our logo:</p><img src="cid:logo@example.org" alt="logo" width="40" height="40">',
      attachments: [{ filename: 'logo.png', contentType: 'image/png', content: PNG, cid: 'logo@example.org' }],
    }),
    buildMessage({
      from: 'Old News <news@example.org>',
      subject: 'Delete me',
      date: at(4),
      messageId: `<delete-${tag}@example.org>`,
      text: 'Nobody needs this.',
    }),
    buildMessage({
      from: 'Bob Buyer <bob@buyer.example>',
      subject: 'Order 1001',
      date: at(5),
      messageId: `<order-${tag}@buyer.example>`,
      text: 'Please confirm order 1001.',
    }),
  ]);
}

const servers = mailServersPerFile();

const row = (page: Page, subject: string): Locator =>
  page.getByTestId('message-row').filter({ has: page.getByTestId('row-subject').getByText(subject, { exact: true }) });

describe.each(cases)('the inbox in $locale', ({ locale, user, texts }) => {
  let env: MailEnv;
  let page: Page;
  const tag = locale.toLowerCase();
  const flags = (folder: string, messageId: string) => serverFlags(servers.dovecot, user, PASSWORD, folder, messageId);

  beforeAll(async () => {
    env = await startMailEnv({
      ...servers,
      locale,
      user,
      password: PASSWORD,
      messages: await mailFor(tag),
      folders: [{ name: 'Trash', specialUse: '\\Trash' }],
    });
    page = env.page;
  }, 300_000);

  afterAll(async () => env?.stop());

  it('lists the messages, newest first, a Chinese subject shown as written', async () => {
    await page.goto('/inbox');
    await row(page, 'Order 1001').waitFor();
    const subjects = await page.getByTestId('row-subject').allTextContents();
    expect(subjects).toEqual(['Order 1001', 'Delete me', 'Logo inside', '关于合同的报价', 'Re: Quarterly plan', 'Quarterly plan']);
    expect(await page.locator('[data-testid="message-row"][data-unread="true"]').count()).toBe(6);
    expect(await row(page, '关于合同的报价').getByTestId('row-attachment').count()).toBe(1);
    await page.getByText(texts.unread, { exact: true }).waitFor();
    await page.locator(`[data-testid="tree-mailbox"][data-email="${user}"]`).waitFor();
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor();
    await screenshot(page, `${locale}-inbox-list`);
  });

  it('opens a thread of two messages in order and marks the opened one read on the server', async () => {
    await row(page, 'Re: Quarterly plan').getByTestId('row-open').click();
    const cards = page.getByTestId('thread-message');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(2);
    await cards.nth(0).locator('iframe').contentFrame().getByText('First message of the plan thread.').waitFor();
    await cards.nth(1).locator('iframe').contentFrame().getByText('the reply').waitFor();
    await expect(cards.nth(0).getByTestId('sender-name').textContent()).resolves.toContain('Zhang Wei');
    await expect(cards.nth(1).getByTestId('sender-name').textContent()).resolves.toContain('Li Na');
    await waitFor('\\Seen on the server', async () => (await flags('INBOX', `<plan-2-${tag}@example.cn>`))?.includes('\\Seen'));
    await expect.poll(() => row(page, 'Re: Quarterly plan').getAttribute('data-unread'), { timeout: 10_000 }).toBe('false');
    await screenshot(page, `${locale}-inbox-thread`);
  });

  it('downloads an attachment with the right bytes', async () => {
    await row(page, '关于合同的报价').getByTestId('row-open').click();
    await page.getByTestId('message-text').getByText('附件是本季度的报价单').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('attachment-link').click()]);
    expect(download.suggestedFilename()).toBe('报价单.pdf');
    expect(sha(await fs.readFile((await download.path())!))).toBe(sha(PDF));
  });

  it('shows an inline cid: image from the message itself', async () => {
    await row(page, 'Logo inside').getByTestId('row-open').click();
    const img = page.getByTestId('message-html').contentFrame().locator('img[alt="logo"]');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('show-images').count()).toBe(0);
  });

  it('marks unread and stars on the server', async () => {
    await row(page, '关于合同的报价').getByTestId('row-open').click();
    await waitFor('\\Seen', async () => (await flags('INBOX', `<quote-${tag}@example.cn>`))?.includes('\\Seen'));
    await page.getByTestId('action-unread').click();
    await waitFor('no \\Seen', async () => !(await flags('INBOX', `<quote-${tag}@example.cn>`))?.includes('\\Seen'));
    await page.getByTestId('action-star').click();
    await waitFor('\\Flagged', async () => (await flags('INBOX', `<quote-${tag}@example.cn>`))?.includes('\\Flagged'));
    // The server may show the flag before the browser has the PATCH's answer and re-rendered: poll the row.
    const r = row(page, '关于合同的报价');
    await expect.poll(() => r.getAttribute('data-unread'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => r.getAttribute('data-flagged'), { timeout: 10_000 }).toBe('true');
  });

  it('deletes to Trash on the server', async () => {
    await row(page, 'Delete me').getByTestId('row-open').click();
    await page.getByTestId('action-delete').click();
    await row(page, 'Delete me').waitFor({ state: 'detached' });
    await waitFor(
      'the move to Trash',
      async () =>
        (await flags('INBOX', `<delete-${tag}@example.org>`)) === null && (await flags('Trash', `<delete-${tag}@example.org>`)) !== null,
    );
  });

  it('shows new mail live, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await servers.dovecot.append(
      user,
      'INBOX',
      buildMessage({
        from: 'New Customer <new@customer.example>',
        subject: '新的询价 — live',
        date: new Date(),
        messageId: `<live-${tag}@customer.example>`,
        text: 'Arrived while you looked.',
      }),
    );
    await row(page, '新的询价 — live').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('row-subject').first().textContent()).toBe('新的询价 — live');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('moves with j and k, stars with s, searches with /', async () => {
    await row(page, 'Order 1001').getByTestId('row-open').click();
    const selected = () => page.locator('[data-testid="message-row"][data-selected="true"]').getByTestId('row-subject').textContent();
    await expect.poll(selected, { timeout: 10_000 }).toBe('Order 1001');
    await page.keyboard.press('j');
    await expect.poll(selected, { timeout: 10_000 }).toBe('Logo inside');
    await page.keyboard.press('j');
    await expect.poll(selected, { timeout: 10_000 }).toBe('关于合同的报价');
    await page.keyboard.press('k');
    await expect.poll(selected, { timeout: 10_000 }).toBe('Logo inside');
    await page.keyboard.press('s');
    await waitFor('\\Flagged by keyboard', async () => (await flags('INBOX', `<logo-${tag}@example.org>`))?.includes('\\Flagged'));
    await expect.poll(() => row(page, 'Logo inside').getAttribute('data-flagged'), { timeout: 10_000 }).toBe('true');
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
    await page.keyboard.type('1001');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('row-subject').allTextContents(), { timeout: 10_000 }).toEqual(['Order 1001']);
    await page.getByTestId('search-clear').click();
    await expect.poll(() => page.getByTestId('message-row').count(), { timeout: 10_000 }).toBe(6);
    await page.keyboard.press('?');
    await page.getByText(texts.help, { exact: true }).waitFor();
    await screenshot(page, `${locale}-inbox-shortcuts`);
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-list').waitFor({ state: 'detached' });
  });

  it('creates a contact from the sender card', async () => {
    await row(page, 'Order 1001').getByTestId('row-open').click();
    await page.getByTestId('thread-message').getByTestId('sender-name').click();
    const create = page.getByTestId('sender-create-contact');
    await expect(create.textContent()).resolves.toBe(texts.create);
    await screenshot(page, `${locale}-inbox-sender-card`);
    await create.click();
    await page.getByTestId('sender-contact-link').getByText('Bob Buyer').waitFor();
    const found = await env.call('GET', '/api/v1/contacts?q=bob@buyer.example');
    expect(found.data.items).toHaveLength(1);
    expect(found.data.items[0]).toMatchObject({ name: 'Bob Buyer', emails: [{ address: 'bob@buyer.example', isPrimary: true }] });
  });

  it('shows Gmail labels as accessible tags in the list and on the message; a tag searches its label', async () => {
    await env.server.db
      .updateTable('messages')
      .set({ labels: ['Big Deals', 'Customers', '\\Important', 'Q3/北京'] })
      .where('message_id_header', '=', `<order-${tag}@buyer.example>`)
      .execute();
    await page.goto('/inbox');
    const tags = row(page, 'Order 1001').getByTestId('row-label');
    await expect.poll(() => tags.allTextContents(), { timeout: 10_000 }).toEqual(['Big Deals', 'Customers', texts.important]);
    expect(await row(page, 'Order 1001').getByTestId('row-labels').textContent()).toContain('+1');
    expect(await row(page, 'Logo inside').getByTestId('row-labels').count()).toBe(0);

    await row(page, 'Order 1001').getByTestId('row-open').click();
    const onMessage = page.getByRole('list', { name: texts.labels });
    await expect
      .poll(() => onMessage.getByTestId('message-label').allTextContents(), { timeout: 10_000 })
      .toEqual(['Big Deals', 'Customers', texts.important, 'Q3/北京']);
    await screenshot(page, `${locale}-inbox-labels`);
    expect(await axeViolations(page, ['[data-testid="row-labels"]', '[data-testid="message-labels"]'])).toEqual([]);

    await onMessage.getByTestId('message-label').filter({ hasText: 'Big Deals' }).click();
    await expect.poll(() => page.getByTestId('search-input').inputValue()).toBe('label:"Big Deals"');
    await expect.poll(() => page.getByTestId('row-subject').allTextContents(), { timeout: 10_000 }).toEqual(['Order 1001']);
    await page.getByTestId('search-clear').click();
    await expect.poll(() => page.getByTestId('message-row').count(), { timeout: 10_000 }).toBeGreaterThan(1);
  });
});
