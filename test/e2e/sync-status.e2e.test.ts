import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { appendMany } from '../support/imap.ts';
import { mailServersPerFile, type MailEnv, startMailEnv } from '../support/mail-env.ts';
import { waitFor } from '../support/wait.ts';

// Sync you can watch, once per UI language, against a real server and Dovecot: an import's progress bar
// on Settings › Mailboxes moves (the import is slowed by the TIDINGS_TEST_SYNC_BATCH_PAUSE_MS test hook),
// and a password changed on the server makes the mailbox need attention: a notification in the bell with
// the fix in the page's language, a badge on Mailboxes, the inbox no longer "live", the mailbox page's
// recent errors; then the right password and Sync now make it work again.

const PASSWORD = 'watched secret 42';
const IMPORTED = 450; // five batches of (at most) 100

const cases = [
  {
    locale: 'en-US',
    tag: 'en',
    texts: {
      progress: /INBOX: \d+ of 450 messages/,
      message: 'The server refused the username or password.',
      fix: /password/,
      notLive: 'Not live',
    },
  },
  {
    locale: 'zh-CN',
    tag: 'zh',
    texts: { progress: /INBOX:已导入 \d+ \/ 450 封/, message: '服务器拒绝了用户名或密码。', fix: /授权码/, notLive: '未实时' },
  },
];

const servers = mailServersPerFile();

async function progressDone(page: Page, email: string): Promise<number | null> {
  const bar = page.locator(`[data-testid="mailbox-row"][data-email="${email}"] [data-testid="sync-progress"]`).first();
  if (!(await bar.count())) return null;
  const done = await bar.getAttribute('data-done', { timeout: 500 }).catch(() => null);
  return done === null ? null : Number(done);
}

describe.each(cases)('sync status in $locale', ({ locale, tag, texts }) => {
  const user = `watch-${tag}@example.test`;
  let env: MailEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startMailEnv({ ...servers, locale, user, password: PASSWORD, messages: [fixtureMessage(0, { tag })] });
    page = env.page;
  }, 300_000); // the first start may build the web app
  afterAll(async () => {
    delete process.env.TIDINGS_TEST_SYNC_BATCH_PAUSE_MS;
    await env?.stop();
  });

  it("shows an import's progress bar moving on Settings › Mailboxes", async () => {
    const big = `import-${tag}@example.test`;
    await servers.dovecot.addUser(big, PASSWORD);
    await appendMany(servers.dovecot, big, PASSWORD, 'INBOX', `big-${tag}`, IMPORTED);
    process.env.TIDINGS_TEST_SYNC_BATCH_PAUSE_MS = '900';
    try {
      const bound = await env.call('POST', '/api/v1/mailboxes', {
        email: big,
        imap: { host: '127.0.0.1', port: servers.dovecot.imapsPort, security: 'tls' },
        password: PASSWORD,
        trustedCertificates: { imap: servers.dovecot.fingerprint256 },
        syncFolders: ['INBOX'],
      });
      expect(bound.status).toBe(201);
      await page.goto('/settings/mailboxes');
      const seen = new Set<number>();
      await waitFor(
        'two different progress values before the import ends',
        async () => {
          const done = await progressDone(page, big);
          if (done !== null && done < IMPORTED) seen.add(done);
          return seen.size >= 2;
        },
        30_000,
        50,
      );
      const bar = page.locator(`[data-testid="mailbox-row"][data-email="${big}"] [data-testid="sync-progress"]`).first();
      expect(await bar.getByRole('progressbar').getAttribute('aria-label')).toMatch(texts.progress);
      await expectAccessible(page, `Settings › Mailboxes during an import (${locale})`);
    } finally {
      delete process.env.TIDINGS_TEST_SYNC_BATCH_PAUSE_MS;
    }
    const row = page.locator(`[data-testid="mailbox-row"][data-email="${big}"]`);
    await row.locator('[data-testid="sync-state"][data-state="watching"]').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('sync-progress').count()).toBe(0);
  });

  it('raises a notification with its fix in the page language when the password changes on the server', async () => {
    await page.goto('/inbox');
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor();
    await servers.dovecot.setPassword(user, 'changed on the server');

    // Event-driven: the owner's stream carries mailbox.attention, so the bell does not wait for its timer.
    await page.locator('[data-testid="notification-count"][data-count="1"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="live-status"][data-broken="true"]').getByText(texts.notLive).waitFor();
    await page.getByTestId('nav-mailboxes-attention').waitFor();

    await page.getByTestId('notification-bell').click();
    const item = page.locator('[data-testid="notification-item"][data-code="auth_failed"]');
    await item.waitFor();
    expect(await item.getByTestId('notification-message').textContent()).toBe(texts.message);
    expect(await item.getByTestId('notification-fix').textContent()).toMatch(texts.fix);
    await expectAccessible(page, `the notifications (${locale})`, '[data-testid="notification-menu"]');

    // The mailbox page: its status, explained, and the refused logins among the recent errors.
    await item.getByTestId('notification-open').click();
    await page.waitForURL(`**/settings/mailboxes/${env.mailboxId}`);
    await page.locator('[data-testid="notification-count"][data-count="0"]').waitFor();
    expect(await page.getByTestId('mailbox-attention-message').textContent()).toBe(texts.message);
    expect(await page.getByTestId('mailbox-attention-fix').textContent()).toMatch(texts.fix);
    await page.locator('[data-testid="sync-error"][data-code="auth_failed"]').first().waitFor();
    await page.locator('[data-testid="sync-folder"][data-folder="INBOX"][data-state="synced"]').waitFor();
    await expectAccessible(page, `the mailbox sync page (${locale})`);

    // The right password again, and Sync now: working, and said so once.
    await servers.dovecot.setPassword(user, PASSWORD);
    await page.getByTestId('sync-now').click();
    await page.locator('[data-testid="sync-state"][data-state="watching"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="notification-count"][data-count="1"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('nav-mailboxes-attention').count()).toBe(0);
    await page.getByTestId('notification-bell').click();
    await page.locator('[data-testid="notification-item"][data-kind="mailbox_recovered"]').waitFor();
  });
});
