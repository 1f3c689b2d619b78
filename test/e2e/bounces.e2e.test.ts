import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.ts';
import { screenshot } from '../support/browser.ts';
import { mailServersPerFile, type MailEnv, startMailEnv } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';

// A bounced message in the reader, once per UI language: the notice on the message, the report linking to
// it, and the bouncing badge on the contact (real server, real Dovecot, the DSN synced like any mail).

const PASSWORD = 'mailbox secret 42';
const fixtures = path.join(import.meta.dirname, '../../src/bounces/fixtures');

const cases = [
  {
    locale: 'en-US',
    user: 'erin@example.test',
    texts: {
      notice: (to: string) => `Not delivered to ${to}: 550 5.1.1`,
      checkAddress: '— check the address',
      reportOf: 'This is a delivery report about “Quote for 200 units”.',
      open: 'Open the original message',
      badge: 'Bouncing',
    },
  },
  {
    locale: 'zh-CN',
    user: 'zhou@example.test',
    texts: {
      notice: (to: string) => `未能送达 ${to}：550 5.1.1`,
      checkAddress: '— 请检查地址',
      reportOf: '这是一封关于“Quote for 200 units”的投递状态报告（退信）。',
      open: '打开原邮件',
      badge: '退信',
    },
  },
];

const servers = mailServersPerFile();

describe.each(cases)('a bounce in $locale', ({ locale, user, texts }) => {
  let env: MailEnv;
  let page: Page;
  const tag = locale.toLowerCase();
  const recipient = `nobody-${tag}@customer.example`;
  const originalHeader = `<quote-${tag}@example.test>`;
  let contactId: string;
  let originalId: string;
  let reportId: string;

  beforeAll(async () => {
    const original = await buildMessage({
      from: `Me <${user}>`,
      to: recipient,
      subject: 'Quote for 200 units',
      date: new Date('2026-11-03T08:14:00Z'),
      messageId: originalHeader,
      text: 'Here is the quote.',
    });
    const report = Buffer.from(
      fs
        .readFileSync(path.join(fixtures, 'postfix-failed.eml'), 'utf8')
        .replaceAll('<quote-200@tidings.test>', originalHeader)
        .replaceAll('nobody@customer.example', recipient)
        .replaceAll('Nobody@Customer.example', recipient),
    );
    env = await startMailEnv({ ...servers, locale, user, password: PASSWORD, messages: [] });
    page = env.page;
    const created = await env.call('POST', '/api/v1/contacts', { name: 'Nobody Home', emails: [recipient] });
    expect(created.status).toBe(201);
    contactId = created.data.contact.id;
    // Both in INBOX (the original as if filed there): linking is by Message-ID within the mailbox.
    await servers.dovecot.append(user, 'INBOX', original);
    await servers.dovecot.append(user, 'INBOX', report);
    const ids = await env.waitFor('both synced', async () => {
      const items = (await env.call('GET', '/api/v1/messages?limit=10')).data.items as Array<{ id: string; subject: string }>;
      const o = items.find((m) => m.subject === 'Quote for 200 units');
      const r = items.find((m) => m.subject === 'Undelivered Mail Returned to Sender');
      return o && r ? { o: o.id, r: r.id } : null;
    });
    originalId = ids.o;
    reportId = ids.r;
    await env.waitFor('bounce linked', async () => (await env.call('GET', `/api/v1/messages/${originalId}`)).data.bounces?.length === 1);
  }, 300_000);

  afterAll(async () => env?.stop());

  it('says on the message which recipient it did not reach, and why', async () => {
    await page.goto(`/inbox?message=${originalId}`);
    const notice = page.getByTestId('bounce-failed');
    await notice.waitFor();
    const text = await notice.textContent();
    expect(text).toContain(texts.notice(recipient));
    expect(text).toContain(texts.checkAddress);
    await expectAccessible(page, `${locale} bounced message`);
    await screenshot(page, `${locale}-bounce-notice`);
  });

  it('shows on the report what it is about, with a link to the original', async () => {
    await page.goto(`/inbox?message=${reportId}`);
    const about = page.getByTestId('bounce-report-of');
    await about.waitFor();
    expect(await about.textContent()).toContain(texts.reportOf);
    await expectAccessible(page, `${locale} delivery report`);
    await about.getByRole('link', { name: texts.open }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('message')).toBe(originalId);
    await page.locator(`[data-testid="thread-message"][data-message-id="${originalId}"]`).getByTestId('bounce-failed').waitFor();
  });

  it('marks the address bouncing on the contact, the reason in a tooltip', async () => {
    await page.goto(`/contacts/${contactId}`);
    const badge = page.getByTestId('email-bouncing');
    await badge.waitFor();
    expect(await badge.textContent()).toContain(texts.badge);
    await badge.focus();
    await page.getByRole('tooltip').filter({ hasText: '550 5.1.1' }).waitFor();
    await expectAccessible(page, `${locale} contact with a bouncing address`);
    await screenshot(page, `${locale}-contact-bouncing`);
  });
});
