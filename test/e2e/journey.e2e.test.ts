import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../harness/index.ts';
import type { SmtpInstance } from '../harness/index.ts';
import { contextBeforeSignIn, screenshot, signInThroughLoginPage, timelineMailsOnceLinked } from '../support/browser.ts';
import { mailServersPerFile } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/wait.ts';

// The whole first-day journey, once per UI language: mail from a customer already sits in the mailbox →
// the admin signs in and binds the mailbox through the wizard (both self-signed certificates trusted) →
// the mail is imported → the admin creates the customer as a contact → the contact's Timeline shows
// the earlier mail (retroactive linking) → the mail opens in the inbox. Real server, Dovecot and SMTP.

interface Texts {
  mailboxes: string;
  testOk: string;
  active: string;
  contacts: string;
  timeline: string;
  to: string;
}

const cases: Array<{ locale: string; user: string; texts: Texts }> = [
  {
    locale: 'en-US',
    user: 'sales-en@example.test',
    texts: {
      mailboxes: 'Mailboxes',
      testOk: 'Connection successful',
      active: 'Active',
      contacts: 'Contacts',
      timeline: 'Timeline',
      to: 'To',
    },
  },
  {
    locale: 'zh-CN',
    user: 'sales-zh@example.test',
    texts: { mailboxes: '邮箱配置', testOk: '连接成功', active: '正常', contacts: '联系人', timeline: '时间线', to: '收件人' },
  },
];

const PASSWORD = 'mailbox secret 42';
const CUSTOMER = { name: '王芳', email: 'wang.fang@customer-corp.com' };
const ZH_SUBJECT = '关于季度合同的确认';
const EN_SUBJECT = 'Contract renewal for next quarter';
const OTHER_SUBJECT = 'Unrelated newsletter';

const servers = mailServersPerFile();
let smtp: SmtpInstance;

// After the file's Dovecot is up, and (hooks after tests run last-registered first) stopped before it.
beforeAll(async () => {
  smtp = await startSmtp({ dovecot: servers.dovecot });
}, 120_000);

afterAll(async () => {
  await smtp?.stop();
});

/** Today's mail in the harness INBOX: two from the customer (Chinese and English subjects), one from someone else. */
async function seedInbox(user: string, tag: string): Promise<void> {
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  const messages = await Promise.all([
    buildMessage({
      from: `${CUSTOMER.name} <${CUSTOMER.email}>`,
      to: user,
      subject: ZH_SUBJECT,
      date: at(90),
      messageId: `<contract-zh-${tag}@customer-corp.com>`,
      text: '您好，请确认附件中的季度合同条款。',
    }),
    buildMessage({
      from: `${CUSTOMER.name} <${CUSTOMER.email}>`,
      to: user,
      subject: EN_SUBJECT,
      date: at(60),
      messageId: `<contract-en-${tag}@customer-corp.com>`,
      text: 'Could you confirm the renewal terms?',
    }),
    buildMessage({
      from: 'Someone Else <someone@other-corp.example>',
      to: user,
      subject: OTHER_SUBJECT,
      date: at(30),
      messageId: `<other-${tag}@other-corp.example>`,
      text: 'Not about the customer.',
    }),
  ]);
  await servers.dovecot.addUser(user, PASSWORD);
  for (const raw of messages) await servers.dovecot.append(user, 'INBOX', raw);
}

describe.each(cases)('from binding a mailbox to the contact timeline in $locale', ({ locale, user, texts }) => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  const tag = locale.toLowerCase();
  const admin = { name: locale === 'zh-CN' ? '王管理' : 'Ada Admin', email: 'admin@example.test', password: 'correct horse battery' };

  async function messages(): Promise<Array<{ id: string; subject: string | null }>> {
    const res = await context.request.get('/api/v1/messages?limit=100', { timeout: 30_000 });
    expect(res.status()).toBe(200);
    return (await res.json()).items;
  }

  beforeAll(async () => {
    [server] = await Promise.all([startTestServer(), seedInbox(user, tag)]);
    ({ context, page } = await contextBeforeSignIn(servers.browser, server.url, admin, {
      locale,
      viewport: { width: 1400, height: 900 },
      timeoutMs: 30_000,
    }));
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  }, 150_000);

  it('signs in and binds the mailbox through the wizard, trusting both certificates', async () => {
    await signInThroughLoginPage(page, admin.email, admin.password);
    await page.waitForURL('**/inbox');
    await page.getByTestId('nav-mailboxes').click();
    await page.getByTestId('page-title').getByText(texts.mailboxes, { exact: true }).waitFor();
    await page.getByTestId('mailboxes-empty').waitFor();

    await page.getByTestId('mailboxes-bind').click();
    await page.getByTestId('card-custom').click();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-email').fill(user);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('imap-host').fill('127.0.0.1');
    await page.getByTestId('imap-port').fill(String(servers.dovecot.imapsPort));
    await page.getByTestId('smtp-host').fill('127.0.0.1');
    await page.getByTestId('smtp-security').getByText('STARTTLS', { exact: true }).click();
    await page.getByTestId('smtp-port').fill(String(smtp.submissionPort));
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('wizard-test').click();

    // Self-signed on both sides: each certificate is shown with its fingerprint and trusted in turn
    // (trusting one re-runs the test, so the second click waits for that run to finish).
    await page.locator('[data-testid="failure-imap"][data-code="tls_untrusted_certificate"]').waitFor();
    await expect(page.getByTestId('certificate-imap-fingerprint').textContent()).resolves.toBe(servers.dovecot.fingerprint256);
    await page.getByTestId('trust-imap').click();
    await page.locator('[data-testid="stage-imap-auth"][data-ok="true"]').waitFor();
    await page.locator('[data-testid="failure-smtp"][data-code="tls_untrusted_certificate"]').waitFor();
    await expect(page.getByTestId('certificate-smtp-fingerprint').textContent()).resolves.toBe(smtp.fingerprint256);
    await page.getByTestId('trust-smtp').click();
    await page.locator('[data-testid="test-summary"][data-ok="true"]').waitFor();
    await expect(page.getByTestId('test-summary').textContent()).resolves.toContain(texts.testOk);
    expect(await page.locator('[data-testid^="stage-"][data-ok="false"]').count()).toBe(0);

    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-save').click();
    const row = page.locator(`[data-testid="mailbox-row"][data-email="${user}"]`);
    await row.waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(row.getByTestId('mailbox-status').textContent()).resolves.toBe(texts.active);
    await screenshot(page, `${locale}-journey-bound`);
  }, 150_000);

  it('imports the mail that was already in the mailbox', async () => {
    const items = await waitFor(
      'the import of three messages',
      async () => {
        const list = await messages();
        return list.length >= 3 ? list : null;
      },
      90_000,
    );
    expect(items.map((m) => m.subject).sort()).toEqual([EN_SUBJECT, OTHER_SUBJECT, ZH_SUBJECT].sort());
  }, 150_000);

  it('creates the customer as a contact and finds the earlier mail on the Timeline', async () => {
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('page-title').getByText(texts.contacts, { exact: true }).waitFor();
    await page.getByTestId('contacts-create').click();
    await page.getByTestId('contact-form-name').fill(CUSTOMER.name);
    await page.getByTestId('contact-form-email-0').fill(CUSTOMER.email);
    await page.getByTestId('contact-form-submit').click();
    const row = page.locator(`[data-testid="contact-row"][data-name="${CUSTOMER.name}"]`);
    await row.waitFor();
    await row.getByTestId('contact-link').click();
    await page.getByTestId('record-name').filter({ hasText: CUSTOMER.name }).waitFor();
    await expect(page.getByTestId('tab-timeline').textContent()).resolves.toBe(texts.timeline);

    const mails = await timelineMailsOnceLinked(page, 2);
    const subjects = await page.getByTestId('timeline-mail-link').allTextContents();
    expect(subjects).toEqual([EN_SUBJECT, ZH_SUBJECT]);
    const zh = mails.filter({ has: page.getByTestId('timeline-mail-link').getByText(ZH_SUBJECT, { exact: true }) });
    await expect(zh.textContent()).resolves.toContain(`${CUSTOMER.name} → ${user}`);
    await screenshot(page, `${locale}-journey-timeline`);
  }, 150_000);

  it('opens the mail from the Timeline in the inbox', async () => {
    const id = (await messages()).find((m) => m.subject === ZH_SUBJECT)!.id;
    await page.getByTestId('timeline-mail-link').getByText(ZH_SUBJECT, { exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/inbox' && url.searchParams.get('message') === id);
    // The link itself opens the thread: no click in the list.
    const view = page.locator(`[data-testid="thread-view"][data-open-id="${id}"]`);
    await view.waitFor();
    await expect(view.getByTestId('thread-subject').textContent()).resolves.toBe(ZH_SUBJECT);
    const card = view.locator(`[data-testid="thread-message"][data-message-id="${id}"]`);
    await expect(card.getByTestId('sender-name').textContent()).resolves.toContain(CUSTOMER.name);
    await expect(card.getByTestId('thread-message-to').textContent()).resolves.toContain(`${texts.to}: `);
    await card.getByTestId('message-text').getByText('请确认附件中的季度合同条款').waitFor();
    await screenshot(page, `${locale}-journey-thread`);
  }, 150_000);
});
