import { createHash, randomBytes } from 'node:crypto';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ReceivedMessage, type SmtpInstance, startSmtp } from '../harness/index.ts';
import { expectAccessible } from '../support/axe.ts';
import { screenshot } from '../support/browser.ts';
import { COMPOSE_SEND_URL, type MailEnv, mailServersPerFile, messageRow, shortUndoWindow, startMailEnv } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';
import { waitFor } from '../support/wait.ts';

// Writing mail in the browser, once per UI language, against a real server whose mailbox sends through
// the harness SMTP server: a reply from the inbox (threading headers), a message from a contact with a
// template (merge field filled, a missing one shown), a forward with the original's attachment (bytes
// arrive), undo (the draft comes back, nothing is sent), and a scheduled send (arrives after its time).

const PASSWORD = 'mailbox secret 42';
const PDF = randomBytes(7000);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const cases = [
  {
    locale: 'en-US',
    user: 'alice@example.test',
    texts: { missing: 'Missing: company.name', body: 'Thanks, see you on Monday.' },
  },
  {
    locale: 'zh-CN',
    user: 'wang@example.test',
    texts: { missing: '缺少字段：company.name', body: '谢谢，周一见。' },
  },
];

function mailFor(tag: string) {
  const t0 = Date.now() - 3 * 3600_000;
  return Promise.all([
    buildMessage({
      from: 'Zhang Wei <zhang.wei@example.cn>',
      subject: `Quarterly plan ${tag}`,
      date: new Date(t0),
      messageId: `<plan-${tag}@example.cn>`,
      text: 'Can we meet on Monday?',
      html: '<p>Can we meet on Monday?</p>',
    }),
    buildMessage({
      from: '张伟 <zhangwei@example.cn>',
      subject: `报价单 ${tag}`,
      date: new Date(t0 + 3600_000),
      messageId: `<quote-${tag}@example.cn>`,
      text: '附件是报价单。',
      attachments: [{ filename: '报价单.pdf', contentType: 'application/pdf', content: PDF }],
    }),
  ]);
}

const servers = mailServersPerFile();
let smtp: SmtpInstance;
beforeAll(async () => {
  smtp = await startSmtp({ dovecot: servers.dovecot });
}, 60_000);
afterAll(async () => smtp?.stop());

/** Each received message parsed once: the waits below poll every 25 ms. */
const parsedMessages = new WeakMap<ReceivedMessage, Promise<ParsedMail>>();
function parsedOf(m: ReceivedMessage) {
  let parsed = parsedMessages.get(m);
  if (!parsed) {
    parsed = simpleParser(m.raw);
    parsedMessages.set(m, parsed);
  }
  return parsed;
}

/** What the harness SMTP server received with this subject (and, when given, for this recipient), parsed. */
async function receivedWith(subject: string, to?: string) {
  for (const m of smtp.received) {
    if (to && !m.to.includes(to)) continue;
    const parsed = await parsedOf(m);
    if (parsed.subject === subject) return { envelope: m, parsed };
  }
  return null;
}

describe.each(cases)('compose in $locale', ({ locale, user, texts }) => {
  let env: MailEnv;
  let page: Page;
  const tag = locale.toLowerCase();
  const compose = (): Locator => page.getByTestId('compose-window');

  async function addRecipient(testId: string, address: string) {
    const input = compose().getByTestId(testId);
    await input.click();
    await input.fill(address);
    await input.press('Enter');
  }

  async function typeBody(text: string) {
    // The first line, above any signature or quote, as a person clicks it.
    await compose().getByTestId('compose-body').locator('p').first().click();
    // insertText is what an input method commits: Chinese arrives as composed text, not key presses.
    await page.keyboard.insertText(text);
  }

  beforeAll(async () => {
    env = await startMailEnv({ ...servers, smtp, locale, user, password: PASSWORD, messages: await mailFor(tag) });
    page = env.page;
  }, 300_000);

  afterAll(async () => env?.stop());
  // The undo test keeps the default window and checks its length; the others send with a short one.
  afterEach(() => page?.unroute(COMPOSE_SEND_URL));
  // What the page showed when a step failed (an error alert, a queued notification).
  beforeEach(({ task, onTestFailed }) => onTestFailed(() => screenshot(page, `${locale}-failed-${task.name.slice(0, 40)}`)));

  it('replies from the inbox: the SMTP server receives it with In-Reply-To and References', async () => {
    await shortUndoWindow(page);
    await page.goto('/inbox');
    await messageRow(page, `Quarterly plan ${tag}`).getByTestId('row-open').click();
    await page.getByTestId('message-reply').click();
    await compose().getByTestId('compose-form').waitFor();
    await expect.poll(() => compose().getByTestId('compose-subject').inputValue()).toBe(`Re: Quarterly plan ${tag}`);
    await typeBody(texts.body);
    await expectAccessible(page, 'the compose window', '[data-testid="compose-window"] section');
    await screenshot(page, `${locale}-compose-reply`);
    await compose().getByTestId('compose-send').click();
    await page.getByTestId('send-notice').waitFor();
    const got = await waitFor('the reply at the SMTP server', () => receivedWith(`Re: Quarterly plan ${tag}`), 60_000);
    expect(got.envelope.to).toEqual(['zhang.wei@example.cn']);
    expect(got.parsed.inReplyTo).toBe(`<plan-${tag}@example.cn>`);
    expect([got.parsed.references].flat()).toContain(`<plan-${tag}@example.cn>`);
    expect(got.parsed.text).toContain(texts.body);
    expect(got.parsed.html || '').toContain('<blockquote');
  }, 120_000);

  it('writes from a contact with a template: a missing field is shown, a filled one arrives filled', async () => {
    const contact = await env.call('POST', '/api/v1/contacts', { name: 'Nora Lee', emails: [`nora.${tag}@example.org`] });
    expect(contact.status).toBe(201);
    const missingTpl = await env.call('POST', '/api/v1/templates', {
      name: `Intro ${tag}`,
      subject: 'About {{company.name}}',
      html: '<p>Hello {{contact.name}} at {{company.name}}</p>',
    });
    const filledTpl = await env.call('POST', '/api/v1/templates', {
      name: `Greeting ${tag}`,
      subject: 'Hello {{contact.name}}',
      html: '<p>Dear {{contact.name}}, welcome.</p>',
    });
    expect([missingTpl.status, filledTpl.status]).toEqual([201, 201]);
    await shortUndoWindow(page);

    await page.goto(`/contacts/${contact.data.contact.id}`);
    await page.getByTestId('contact-email-button').click();
    await compose().getByTestId('compose-form').waitFor();
    await compose().getByText(`nora.${tag}@example.org`).waitFor();
    await expectAccessible(page, 'the compose window', '[data-testid="compose-window"] section');

    await compose().getByTestId('compose-template').click();
    await page.locator(`[data-testid="compose-template-item"][data-name="Intro ${tag}"]`).click();
    await expect.poll(() => compose().getByTestId('compose-missing').textContent()).toContain(texts.missing);
    await screenshot(page, `${locale}-compose-template-missing`);

    // Start again with the template that the contact fills.
    await compose().getByTestId('compose-body').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await compose().getByTestId('compose-subject').fill('');
    await compose().getByTestId('compose-template').click();
    await page.locator(`[data-testid="compose-template-item"][data-name="Greeting ${tag}"]`).click();
    await expect.poll(() => compose().getByTestId('compose-subject').inputValue()).toBe('Hello Nora Lee');
    await compose().getByTestId('compose-missing').waitFor({ state: 'detached' });
    await compose().getByTestId('compose-send').click();
    const got = await waitFor('the templated message', () => receivedWith('Hello Nora Lee', `nora.${tag}@example.org`), 60_000);
    expect(got.envelope.to).toEqual([`nora.${tag}@example.org`]);
    expect(got.parsed.text).toContain('Dear Nora Lee, welcome.');
    expect(got.parsed.text).not.toContain('{{');
  }, 120_000);

  it('forwards with the original attachment: the bytes arrive', async () => {
    await shortUndoWindow(page);
    await page.goto('/inbox');
    await messageRow(page, `报价单 ${tag}`).getByTestId('row-open').click();
    await page.getByTestId('message-forward').click();
    await compose().getByTestId('compose-form').waitFor();
    await compose().locator('[data-testid="compose-attachment"][data-filename="报价单.pdf"]').waitFor();
    await addRecipient('compose-to', `partner.${tag}@example.org`);
    await compose().getByTestId('compose-send').click();
    const got = await waitFor(
      'the forward',
      async () => {
        for (const m of smtp.received) if (m.to.includes(`partner.${tag}@example.org`)) return { envelope: m, parsed: await parsedOf(m) };
        return null;
      },
      60_000,
    );
    expect(got.parsed.subject).toMatch(/^(Fwd|转发)[:：] ?报价单/);
    const pdf = got.parsed.attachments.find((a) => a.filename === '报价单.pdf');
    expect(pdf && sha(pdf.content)).toBe(sha(PDF));
  }, 120_000);

  const signature = `Best regards from ${tag}`;

  it('keeps a signature set in the mailbox settings, and new messages start with it', async () => {
    await page.goto('/settings/mailboxes');
    const row = page.locator(`[data-testid="mailbox-row"][data-email="${user}"]`);
    await row.getByTestId('mailbox-row-menu').click();
    await page.getByTestId('mailbox-settings').click();
    const editor = page.getByTestId('mailbox-signature');
    await editor.click();
    await page.keyboard.insertText(signature);
    await expectAccessible(page, 'the mailbox settings with sending', '[data-testid="mailbox-settings-modal"] section');
    await page.getByTestId('mailbox-settings-submit').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const senders = await env.call('GET', '/api/v1/compose/senders');
    expect(senders.data.items.find((s: { id: string }) => s.id === env.mailboxId).signatureHtml).toContain(signature);
  });

  let undoneId = '';

  it('undoes a send within the default 10-second window: the draft comes back', async () => {
    await page.goto('/inbox');
    await page.getByTestId('inbox-compose').click();
    await compose().getByTestId('compose-form').waitFor();
    await compose().getByTestId('compose-body').getByText(signature).waitFor();
    await addRecipient('compose-to', `undo.${tag}@example.org`);
    await compose().getByTestId('compose-subject').fill(`Undo me ${tag}`);
    await typeBody(texts.body);
    const sent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/send'));
    const clicked = Date.now();
    await compose().getByTestId('compose-send').click();
    const queued = (await (await sent).json()) as { state: string; sendAt: string };
    const answered = Date.now();
    expect(queued.state).toBe('queued');
    // The window the server gave the compose window's send: its default (the server's and the test's clocks are one).
    expect(Date.parse(queued.sendAt)).toBeGreaterThanOrEqual(clicked + 10_000);
    expect(Date.parse(queued.sendAt)).toBeLessThanOrEqual(answered + 10_000);
    const notice = page.getByTestId('send-notice');
    undoneId = (await notice.getAttribute('data-outbox-id')) ?? '';
    await notice.getByTestId('send-undo').click();
    await compose().getByTestId('compose-form').waitFor();
    expect(await compose().getByTestId('compose-subject').inputValue()).toBe(`Undo me ${tag}`);
    const row = await env.call('GET', `/api/v1/outbox/${undoneId}`);
    expect(row.data.state).toBe('draft');
    // Closed and kept: it stays a draft in the outbox.
    await page.keyboard.press('Escape');
    await page.getByTestId('compose-keep-draft').click();
    await compose().waitFor({ state: 'detached' });
    await page.goto('/outbox');
    await page.locator(`[data-testid="outbox-row"][data-outbox-id="${undoneId}"][data-state="draft"]`).waitFor();
    await expectAccessible(page, 'the outbox');
  });

  it('sends at the scheduled time, and the undone draft never went out', async () => {
    await page.goto('/inbox');
    await page.getByTestId('inbox-compose').click();
    await compose().getByTestId('compose-form').waitFor();
    await addRecipient('compose-to', `later.${tag}@example.org`);
    await compose().getByTestId('compose-subject').fill(`Later ${tag}`);
    await typeBody(texts.body);
    await compose().getByTestId('compose-send-menu').click();
    await page.getByTestId('compose-schedule').click();
    // The browser's own time zone writes the datetime-local value.
    const at = await page.evaluate(() => {
      const d = new Date(Date.now() + 5000);
      const p = (n: number) => String(n).padStart(2, '0');
      return {
        local: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`,
        ms: Math.floor(d.getTime() / 1000) * 1000,
      };
    });
    await page.getByTestId('schedule-at').fill(at.local);
    await page.getByTestId('schedule-confirm').click();
    const notice = page.getByTestId('send-notice');
    const id = await notice.getAttribute('data-outbox-id');
    const queued = await env.call('GET', `/api/v1/outbox/${id}`);
    expect(queued.data.state).toBe('queued');
    expect(Date.parse(queued.data.sendAt)).toBe(at.ms);
    const got = await waitFor('the scheduled message', () => receivedWith(`Later ${tag}`), 60_000);
    expect(Date.now()).toBeGreaterThanOrEqual(at.ms);
    expect(got.envelope.to).toEqual([`later.${tag}@example.org`]);
    expect(got.parsed.text).toContain(texts.body);
    expect(got.parsed.text).toContain(signature);
    // The undone message was due long before this one: the outbox would have sent it first.
    expect(await receivedWith(`Undo me ${tag}`)).toBeNull();
    expect((await env.call('GET', `/api/v1/outbox/${undoneId}`)).data.state).toBe('draft');
  }, 120_000);

  it('lists and edits templates in Settings › Templates', async () => {
    await page.goto('/settings/templates');
    await page.locator(`[data-testid="templates-row"][data-name="Greeting ${tag}"]`).waitFor();
    await expectAccessible(page, 'Settings › Templates');
    await page.getByTestId('templates-create').click();
    await page.getByTestId('template-name').fill(`Follow-up ${tag}`);
    await page.getByTestId('template-subject').fill('Following up');
    await page.getByTestId('template-body').click();
    await page.locator('[data-testid="template-field"][data-field="contact.name"]').click();
    await expectAccessible(page, 'the template dialog', '[data-testid="template-form-modal"] section');
    await page.getByTestId('template-submit').click();
    await page.locator(`[data-testid="templates-row"][data-name="Follow-up ${tag}"]`).waitFor();
    const list = await env.call('GET', '/api/v1/templates');
    const saved = list.data.items.find((t: { name: string }) => t.name === `Follow-up ${tag}`);
    expect(saved.html).toContain('{{contact.name}}');
    expect(saved.fields).toEqual(['contact.name']);
  });
});
