import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpInstance, startSmtp } from '../harness/index.ts';
import { expectAccessible } from '../support/axe.ts';
import {
  COMPOSE_SEND_URL,
  mailServersPerFile,
  type MailEnv,
  messageRow,
  serverFlags,
  shortUndoWindow,
  startMailEnv,
} from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';
import { waitFor } from '../support/wait.ts';

// A person who never touches the mouse: in the inbox they move through the messages, open one, reply, mark
// it unread and read, star, archive and delete, reach the folder tree and search; then they bind a Dovecot
// mailbox with the wizard, step by step. Every key press lands the focus on a control that shows it (a
// focus ring, or a caret in a field), never on the page itself, and a closed dialog gives the focus back
// to what opened it. Real server, real Dovecot and SMTP, Chromium driven by key presses only.

const USER = 'kim@example.test';
const PASSWORD = 'mailbox secret 42';
const NEW_MAILBOX = { email: 'lee@example.test', password: 'lee password 77' };
const SUBJECTS = ['Contract draft', 'Lunch on Friday', 'Invoice 2026-114', 'Welcome aboard'];

interface Focus {
  testId: string | null;
  tag: string;
  text: string;
  /** Inside which of these the focus is. */
  inDialog: boolean;
  inTree: boolean;
  inList: boolean;
  /** The row (its message id) the focused element belongs to. */
  messageId: string | null;
  /** Focus ring drawn (outline or box shadow under :focus-visible), or a field showing its caret. */
  visible: boolean;
}

/** What has the focus now, and whether a sighted keyboard user can see where it is. */
function focus(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const drawsRing = (e: Element) => {
      const style = getComputedStyle(e);
      return (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    };
    const input = el instanceof HTMLInputElement ? el : null;
    const toggle = input !== null && ['checkbox', 'radio'].includes(input.type);
    // A checkbox drawn as a chip hides its input and rings its label instead.
    const ringed = drawsRing(el) || (toggle && [...(input.labels ?? [])].some(drawsRing));
    const ring = el.matches(':focus-visible') && ringed;
    const field = el.isContentEditable || el.tagName === 'TEXTAREA' || (input !== null && !toggle);
    return {
      testId: el.getAttribute('data-testid'),
      tag: el.tagName.toLowerCase(),
      text: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60),
      inDialog: el.closest('[role="dialog"]') !== null,
      inTree: el.closest('[data-testid="mail-tree"]') !== null,
      inList: el.closest('[data-testid="message-list"]') !== null,
      messageId: el.closest('[data-message-id]')?.getAttribute('data-message-id') ?? null,
      visible: ring || field,
    };
  });
}

/** Presses `key` and returns the focus after it, which must exist and be visible. */
async function press(page: Page, key: string): Promise<Focus> {
  await page.keyboard.press(key);
  const now = await focus(page);
  expect(now, `the focus after ${key} is on the page itself`).not.toBeNull();
  expect(now?.visible, `the focus after ${key} (${JSON.stringify(now)}) shows no focus ring`).toBe(true);
  return now as Focus;
}

/** Tabs (forward, or back) until the focus is where `found` says, checking every stop on the way. */
async function tabTo(page: Page, what: string, found: (f: Focus) => boolean, { back = false, max = 60 } = {}): Promise<Focus> {
  for (let i = 0; i < max; i++) {
    const now = await press(page, back ? 'Shift+Tab' : 'Tab');
    if (found(now)) return now;
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach ${what}`);
}

/** A change the server answers for (a flag, a move) may take a few seconds on a busy machine. */
const POLL = { timeout: 20_000 };

const byTestId = (id: string) => (f: Focus) => f.testId === id;

/** Waits until the focus is where `found` says (after a change the app makes a moment later). */
async function focusSettles(page: Page, what: string, found: (f: Focus) => boolean): Promise<Focus> {
  return waitFor(`the focus on ${what}`, async () => {
    const now = await focus(page);
    if (!now || !found(now)) throw new Error(`the focus is on ${JSON.stringify(now)}`);
    expect(now.visible, `the focus on ${what} shows no focus ring`).toBe(true);
    return now;
  });
}

const servers = mailServersPerFile();

describe('keyboard only', () => {
  let smtp: SmtpInstance;
  let env: MailEnv;
  let page: Page;
  const ids = new Map<string, string>();
  const rowOf = (subject: string) => messageRow(page, subject);
  const selectedId = () => page.locator('[data-testid="message-row"][data-selected="true"]').getAttribute('data-message-id');

  beforeAll(async () => {
    smtp = await startSmtp({ dovecot: servers.dovecot });
    const messages = await Promise.all(
      SUBJECTS.map((subject, i) =>
        buildMessage({
          from: 'Sam Sender <sam@partner.test>',
          to: USER,
          subject,
          // Newest first in the list: the first subject is the newest.
          date: new Date(Date.now() - (i + 1) * 3600_000),
          messageId: `<kb-${i}@partner.test>`,
          text: `Body of ${subject}.`,
        }),
      ),
    );
    env = await startMailEnv({
      ...servers,
      smtp,
      locale: 'en-US',
      user: USER,
      password: PASSWORD,
      messages,
      folders: [
        { name: 'Archive', specialUse: '\\Archive' },
        { name: 'Trash', specialUse: '\\Trash' },
      ],
    });
    page = env.page;
    await servers.dovecot.addUser(NEW_MAILBOX.email, NEW_MAILBOX.password);
  }, 300_000);

  afterAll(async () => {
    await env?.stop();
    await smtp?.stop();
  });

  it('moves through the messages with j and k and the arrow keys, the focus on the row', async () => {
    await page.goto('/inbox');
    await rowOf(SUBJECTS[3]).waitFor();
    for (const s of SUBJECTS) ids.set(s, (await rowOf(s).getAttribute('data-message-id')) ?? '');
    let now = await press(page, 'j');
    expect(now.messageId).toBe(ids.get(SUBJECTS[0]));
    expect(await selectedId()).toBe(ids.get(SUBJECTS[0]));
    now = await press(page, 'j');
    expect(now.messageId).toBe(ids.get(SUBJECTS[1]));
    now = await press(page, 'k');
    expect(now.messageId).toBe(ids.get(SUBJECTS[0]));
    now = await press(page, 'ArrowDown');
    expect(now.messageId).toBe(ids.get(SUBJECTS[1]));
    now = await press(page, 'ArrowUp');
    expect(now.messageId).toBe(ids.get(SUBJECTS[0]));
    expect(now.inList).toBe(true);
  });

  it('opens the message with Enter, marks it unread and read with u, stars it with s', async () => {
    const id = ids.get(SUBJECTS[0]) ?? '';
    const row = rowOf(SUBJECTS[0]);
    await press(page, 'Enter');
    await page.locator(`[data-testid="thread-message"][data-message-id="${id}"]`).waitFor();
    await page.locator(`[data-testid="message-row"][data-message-id="${id}"][data-unread="false"]`).waitFor();
    expect((await focus(page))?.messageId).toBe(id);

    await press(page, 'u');
    await expect.poll(() => row.getAttribute('data-unread'), POLL).toBe('true');
    await waitFor(
      'unread on the server',
      async () => !(await serverFlags(servers.dovecot, USER, PASSWORD, 'INBOX', '<kb-0@partner.test>'))?.includes('\\Seen'),
    );
    await press(page, 'u');
    await expect.poll(() => row.getAttribute('data-unread'), POLL).toBe('false');
    await press(page, 's');
    await expect.poll(() => row.getAttribute('data-flagged'), POLL).toBe('true');
    await waitFor('read and starred on the server', async () => {
      const flags = (await serverFlags(servers.dovecot, USER, PASSWORD, 'INBOX', '<kb-0@partner.test>')) ?? [];
      return flags.includes('\\Seen') && flags.includes('\\Flagged');
    });
    expect((await focus(page))?.messageId).toBe(id);
  });

  it('replies with r, types and sends from the keyboard; the focus comes back to the message', async () => {
    const id = ids.get(SUBJECTS[0]) ?? '';
    await shortUndoWindow(page);
    await page.keyboard.press('r');
    const window = page.locator('[data-testid="compose-window"][data-kind="reply"]');
    await window.getByTestId('compose-form').waitFor();
    await focusSettles(page, 'the reply', (f) => f.inDialog);
    await expectAccessible(page, 'the reply window', '[data-testid="compose-window"]');
    // The reply is addressed and the caret waits in the body.
    await focusSettles(page, 'the body', byTestId('compose-body'));
    await page.keyboard.type('Thanks, see you on Monday.');
    await tabTo(page, 'Send', byTestId('compose-send'));
    await page.keyboard.press('Enter');
    await window.waitFor({ state: 'detached' });
    await focusSettles(page, 'the message that was answered', (f) => f.messageId === id);
    const sent = await waitFor('the reply at the SMTP server', async () =>
      smtp.received.find((m) => m.raw.toString('utf8').includes(`Subject: Re: ${SUBJECTS[0]}`)),
    );
    expect(sent.raw.toString('utf8')).toContain('Thanks, see you on Monday.');
    await page.unroute(COMPOSE_SEND_URL);
  });

  it('closes a dialog with Escape and the focus goes back to what opened it', async () => {
    const before = await focus(page);
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-list').waitFor();
    await focusSettles(page, 'the shortcuts dialog', (f) => f.inDialog);
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-list').waitFor({ state: 'detached' });
    await focusSettles(page, 'the row that had it', (f) => f.messageId === before?.messageId && f.testId === before?.testId);
  });

  it('reaches the folder tree with Shift+Tab and opens the Inbox with Enter', async () => {
    await tabTo(page, 'the folder tree', (f) => f.inTree, { back: true });
    const inbox = await tabTo(page, 'the Inbox folder', (f) => f.inTree && f.text.includes('Inbox'), { back: true });
    expect(inbox.testId).toBe('tree-folder');
    await press(page, 'Enter');
    await page.locator('[data-testid="tree-folder"][data-role="inbox"][data-active="true"]').waitFor();
    // Back into the list with Tab; Enter opens the first message, which the next keys act on.
    const first = await tabTo(page, 'the first message', (f) => f.inList && f.testId === 'row-open');
    expect(first.messageId).toBe(ids.get(SUBJECTS[0]));
    await press(page, 'Enter');
    await expect.poll(selectedId, POLL).toBe(ids.get(SUBJECTS[0]));
  });

  it('archives with e and deletes with #, the focus moving on to the next message', async () => {
    await page.keyboard.press('e');
    await rowOf(SUBJECTS[0]).waitFor({ state: 'detached' });
    await focusSettles(page, 'the next message', (f) => f.messageId === ids.get(SUBJECTS[1]));
    await page.keyboard.press('#');
    await rowOf(SUBJECTS[1]).waitFor({ state: 'detached' });
    await focusSettles(page, 'the next message', (f) => f.messageId === ids.get(SUBJECTS[2]));
    await waitFor('archived and deleted on the server', async () => {
      const archived = await serverFlags(servers.dovecot, USER, PASSWORD, 'Archive', '<kb-0@partner.test>');
      const trashed = await serverFlags(servers.dovecot, USER, PASSWORD, 'Trash', '<kb-1@partner.test>');
      return archived !== null && trashed !== null;
    });
  });

  it('opens the Archive from the folder tree and finds the archived message there', async () => {
    await tabTo(page, 'the Archive folder', (f) => f.inTree && f.text.includes('Archive'), { back: true });
    await press(page, 'Enter');
    await rowOf(SUBJECTS[0]).waitFor();
    await expect.poll(() => page.getByTestId('message-row').count(), POLL).toBe(1);
  });

  it('searches with / and goes back to the messages with Escape', async () => {
    await tabTo(page, 'All mail', byTestId('tree-all'), { back: true });
    await press(page, 'Enter');
    await rowOf(SUBJECTS[2]).waitFor();
    const box = await press(page, '/');
    expect(box.testId).toBe('search-input');
    await page.keyboard.type('Welcome');
    await press(page, 'Enter');
    await expect.poll(() => page.getByTestId('message-row').count(), POLL).toBe(1);
    await rowOf(SUBJECTS[3]).waitFor();
    await page.keyboard.press('Escape');
    await focusSettles(page, 'the message found', (f) => f.messageId === ids.get(SUBJECTS[3]));
  });

  it('binds a mailbox with the wizard: type, address, servers, test, trust, save', async () => {
    await page.goto('/settings/mailboxes');
    await page.locator(`[data-testid="mailbox-row"][data-email="${USER}"]`).waitFor();
    await tabTo(page, 'Bind mailbox', byTestId('mailboxes-bind'));
    await press(page, 'Enter');
    await page.getByTestId('card-custom').waitFor();
    await focusSettles(page, 'the wizard', (f) => f.inDialog);

    // Step 1: the kind of mailbox.
    await tabTo(page, 'the custom server card', byTestId('card-custom'));
    await press(page, 'Space');
    await expect.poll(() => page.getByTestId('card-custom').getAttribute('aria-pressed'), POLL).toBe('true');
    await tabTo(page, 'Next', byTestId('wizard-next'));
    await page.keyboard.press('Enter');

    // Step 2: the address, where the focus now is; Enter goes on.
    await focusSettles(page, 'the address field', byTestId('wizard-email'));
    await page.keyboard.type(NEW_MAILBOX.email);
    await press(page, 'Enter');

    // Step 3: the servers, from the first field on.
    await focusSettles(page, 'the first server field', (f) => f.inDialog && f.tag === 'input');
    const settings = page.getByRole('dialog');
    if ((await focus(page))?.testId !== 'imap-host') await tabTo(page, 'the IMAP host', byTestId('imap-host'));
    await page.keyboard.type('127.0.0.1');
    await tabTo(page, 'the IMAP port', byTestId('imap-port'));
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(servers.dovecot.imapsPort));
    await tabTo(page, 'the SMTP switch', byTestId('smtp-enabled'));
    await press(page, 'Space');
    await expect.poll(() => settings.getByTestId('smtp-enabled').isChecked(), POLL).toBe(false);
    await tabTo(page, 'the password', byTestId('password'));
    await page.keyboard.type(NEW_MAILBOX.password);
    await tabTo(page, 'Test connection', byTestId('wizard-test'));
    await page.keyboard.press('Enter');

    // Step 4: the test meets Dovecot's own certificate; trusting it tests again.
    await page.getByTestId('trust-imap').waitFor({ timeout: 30_000 });
    await focus(page).then((f) => expect(f?.inDialog, `the focus left the wizard: ${JSON.stringify(f)}`).toBe(true));
    await tabTo(page, 'Trust this certificate', byTestId('trust-imap'));
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="test-summary"][data-ok="true"]').waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'the wizard after a passed test', '[role="dialog"]');
    await focusSettles(page, 'the wizard', (f) => f.inDialog);
    await tabTo(page, 'Next', byTestId('wizard-next'));
    await page.keyboard.press('Enter');

    // Step 5: sync options, then save; the wizard closes and the focus is back on Bind mailbox.
    await focusSettles(page, 'the display name', byTestId('wizard-display-name'));
    await tabTo(page, 'Save', byTestId('wizard-save'));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator(`[data-testid="mailbox-row"][data-email="${NEW_MAILBOX.email}"]`).waitFor();
    await focusSettles(page, 'Bind mailbox', byTestId('mailboxes-bind'));
  });
});
