import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { screenshot } from '../support/browser.ts';
import { mailServersPerFile, type MailEnv, messageRow, startMailEnv } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';

// The reader's two notices for big mail, in both UI languages, against a real server importing a real
// Dovecot mailbox with TIDINGS_MAX_MESSAGE_MB=4: a message over the cap is stored with its headers and
// says so ("too large"); one whose HTML is over the display limit (2 MB) shows its text, says its
// formatting is too big to show and links to the original. Both notices pass axe-core's WCAG 2 A/AA rules.

const PASSWORD = 'mailbox secret 42';

const cases = [
  {
    locale: 'en-US',
    user: 'big-en@example.test',
    texts: { tooLarge: 'too large to download here', htmlTooBig: 'too big to show', download: 'Download the original' },
  },
  { locale: 'zh-CN', user: 'big-zh@example.test', texts: { tooLarge: '邮件太大', htmlTooBig: '太大，无法显示', download: '下载原始邮件' } },
];

function bigMail(tag: string): Buffer[] {
  const row = '<tr><td style="color:#333;padding:4px"><b>Offer</b> item <a href="https://shop.example/p">link</a></td></tr>';
  return [
    buildMessage({
      from: 'Scanner <scanner@office.example>',
      subject: 'Scans of the contract',
      messageId: `<scans-${tag}@office.example>`,
      text: 'The scans are attached.',
      attachments: [{ filename: 'scans.pdf', contentType: 'application/pdf', content: Buffer.alloc(5 * 1024 * 1024, 7) }],
    }),
    buildMessage({
      from: 'News <news@shop.example>',
      subject: 'The big catalogue',
      messageId: `<catalogue-${tag}@shop.example>`,
      html: `<html><body><table>${row.repeat(Math.ceil((2.2 * 1024 * 1024) / row.length))}</table><p>last-paragraph-marker</p></body></html>`,
    }),
  ];
}

const servers = mailServersPerFile();

describe.each(cases)('big messages in the reader in $locale', ({ locale, user, texts }) => {
  let env: MailEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startMailEnv({
      ...servers,
      locale,
      user,
      password: PASSWORD,
      messages: bigMail(locale.toLowerCase()),
      serverEnv: { TIDINGS_MAX_MESSAGE_MB: '4' },
    });
    page = env.page;
  }, 300_000);

  afterAll(async () => env?.stop());

  /** Opens the message from the inbox and returns its notice once shown, with the notice's text. */
  async function openNotice(subject: string, notice: string) {
    await page.goto('/inbox');
    await messageRow(page, subject).getByTestId('row-open').click();
    const shown = page.getByTestId(notice);
    await shown.waitFor();
    return { shown, text: (await shown.textContent()) ?? '' };
  }

  it('says a message over the size cap was too large to download, and shows no body', async () => {
    const { text } = await openNotice('Scans of the contract', 'message-too-large');
    expect(text).toContain(texts.tooLarge);
    expect(await page.getByTestId('message-text').count()).toBe(0);
    expect(await axeViolations(page, ['[data-testid="message-too-large"]'])).toEqual([]);
    await screenshot(page, `${locale}-message-too-large`);
  });

  it('shows the text of a message whose formatting is too big, with a link to the original', async () => {
    const { shown: notice, text } = await openNotice('The big catalogue', 'message-html-too-big');
    expect(text).toContain(texts.htmlTooBig);
    expect(await page.getByTestId('message-text').textContent()).toContain('last-paragraph-marker');
    expect(await page.locator('[data-testid="thread-message"] iframe').count()).toBe(0);
    const link = notice.getByRole('link', { name: texts.download });
    const download = await env.context.request.get(new URL((await link.getAttribute('href')) as string, env.server.url).toString());
    expect(download.status()).toBe(200);
    expect((await download.body()).toString('latin1')).toContain('Subject: The big catalogue');
    expect(await axeViolations(page, ['[data-testid="message-html-too-big"]'])).toEqual([]);
    await screenshot(page, `${locale}-message-html-too-big`);
  });
});
