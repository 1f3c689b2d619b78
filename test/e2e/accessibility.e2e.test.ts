import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/auth/two-factor.ts';
import { axeReport, STRUCTURE_RULES } from '../support/axe.ts';
import { screenshot, signInThroughLoginPage } from '../support/browser.ts';
import { mailServersPerFile, type MailEnv, startMailEnv } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';

// Every page of the app and its main dialogs pass axe-core's WCAG 2.0/2.1 A and AA rules, and its rules on
// landmarks, headings and table headers, checked on the whole document, in English and in Chinese: setup, sign-in (with its error and two-factor step), the
// dashboard, the inbox with a message open, the CRM lists, record pages and forms, and every settings page
// with its dialogs (the bind wizard step by step). One browser context per language visits them in turn on
// a real server with a bound Dovecot mailbox and seeded CRM records. Each screen is checked softly, so one
// run lists every broken rule of every screen.

const PASSWORD = 'mailbox secret 42';
const ADMIN_PASSWORD = 'correct horse battery';
const member = { email: 'mo@example.test', name: 'Mo Member', password: 'member password 123' };

const cases = [
  { locale: 'en-US', user: 'alice@example.test' },
  { locale: 'zh-CN', user: 'wang@example.test' },
];

function mailFor(tag: string) {
  const at = (h: number) => new Date(Date.now() - (6 - h) * 3600_000);
  return Promise.all([
    buildMessage({
      from: 'Zhang Wei <zhang.wei@xingchen.test>',
      subject: 'Quarterly plan',
      date: at(0),
      messageId: `<plan-1-${tag}@xingchen.test>`,
      text: 'First message of the plan thread.',
      html: '<p>First message of the plan thread.</p>',
    }),
    buildMessage({
      from: 'Zhang Wei <zhang.wei@xingchen.test>',
      subject: '关于合同的报价',
      date: at(1),
      messageId: `<quote-${tag}@xingchen.test>`,
      text: '您好，附件是本季度的报价单，请查收。',
      attachments: [{ filename: '报价单.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 quote') }],
    }),
  ]);
}

const servers = mailServersPerFile();

/**
 * Waits until no CSS transition or animation has run for a few frames: a modal or menu fading in has
 * colours axe would misjudge, and Mantine starts its transitions a frame after mounting.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    for (let quiet = 0, tries = 0; quiet < 3 && tries < 200; tries++) {
      const running = document.getAnimations();
      quiet = running.length ? 0 : quiet + 1;
      await Promise.all([frame(), ...running.map((a) => a.finished.catch(() => undefined))]);
    }
  });
}

describe.each(cases)('accessibility of every page in $locale', ({ locale, user }) => {
  let env: MailEnv;
  let page: Page;
  let setupReport = '';
  const tag = locale.toLowerCase();
  const ids: Record<'company' | 'contact' | 'deal', string> = { company: '', contact: '', deal: '' };

  /** Checks the whole page as it is now; a failure names the screen and lists its violations. */
  async function check(where: string, p: Page = page): Promise<void> {
    await settled(p);
    await screenshot(p, `${locale}-a11y-${where.replace(/\W+/g, '-')}`);
    expect.soft(await axeReport(p, `${where} (${locale})`, [], { alsoRules: STRUCTURE_RULES })).toBe('');
  }

  async function closeDialog(): Promise<void> {
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }

  async function post(path: string, body: unknown) {
    const res = await env.call('POST', path, body);
    expect(res.status, `${path}: ${JSON.stringify(res.data)}`).toBe(201);
    return res.data;
  }

  beforeAll(async () => {
    env = await startMailEnv({
      ...servers,
      locale,
      user,
      password: PASSWORD,
      messages: await mailFor(tag),
      // The setup page exists only before the first admin does.
      async beforeSetup(_server, context) {
        const setupPage = await context.newPage();
        await setupPage.goto('/setup');
        await setupPage.getByTestId('setup-email').waitFor();
        await settled(setupPage);
        setupReport = await axeReport(setupPage, `the setup page (${locale})`, [], { alsoRules: STRUCTURE_RULES });
        await setupPage.close();
      },
    });
    page = env.page;

    const company = (await post('/api/v1/companies', { name: `星辰科技 ${tag}`, domains: ['xingchen.test'], industry: 'Software' }))
      .company;
    const contact = (
      await post('/api/v1/contacts', { name: '张伟', companyId: company.id, emails: ['zhang.wei@xingchen.test'], tags: ['VIP'] })
    ).contact;
    const deal = (
      await post('/api/v1/deals', {
        name: `ERP ${tag}`,
        companyId: company.id,
        contactIds: [contact.id],
        amount: '12345.6',
        currency: 'CNY',
      })
    ).deal;
    await post('/api/v1/activities', { kind: 'note', subject: 'Called about the ERP rollout', contactId: contact.id });
    await post('/api/v1/activities', {
      kind: 'task',
      subject: 'Send the renewal quote',
      contactId: contact.id,
      dueAt: new Date(Date.now() - 30 * 60_000).toISOString(),
      reminderAt: new Date(Date.now() - 60 * 60_000).toISOString(),
    });
    await post('/api/v1/purchases', { contactId: contact.id, purchasedOn: '2026-11-15', currency: 'CNY', amount: '880' });
    await post('/api/v1/users', { ...member, role: 'member' });
    Object.assign(ids, { company: company.id, contact: contact.id, deal: deal.id });
  }, 300_000);

  afterAll(async () => env?.stop());

  it('setup page', () => {
    expect.soft(setupReport).toBe('');
  });

  describe('signed out', () => {
    let context: BrowserContext;
    let signedOut: Page;

    beforeAll(async () => {
      context = await servers.browser.newContext({ locale, baseURL: env.server.url, viewport: { width: 1400, height: 900 } });
      context.setDefaultTimeout(20_000);
      signedOut = await context.newPage();
    });
    afterAll(async () => context?.close());

    it('login page, empty and with an error', async () => {
      await signedOut.goto('/login');
      await signedOut.getByTestId('login-email').waitFor();
      await check('the login page', signedOut);
      await signInThroughLoginPage(signedOut, 'admin@example.test', 'not the password');
      await signedOut.getByTestId('login-error').waitFor();
      await check('the login page with an error', signedOut);
    });

    it('login two-factor step', async () => {
      // The member turns two-factor on through the API, then signs in here and reaches the code step.
      const api = await servers.browser.newContext({ baseURL: env.server.url });
      try {
        expect((await api.request.post('/api/v1/auth/login', { data: { email: member.email, password: member.password } })).status()).toBe(
          200,
        );
        const csrf = (await api.cookies()).find((c) => c.name === 'tidings_csrf')?.value ?? '';
        const headers = { 'x-csrf-token': csrf, origin: env.server.url };
        const started = await api.request.post('/api/v1/me/two-factor/setup', { headers });
        expect(started.status()).toBe(200);
        const { secret } = await started.json();
        const code = await currentTotp(secret);
        const enabled = await api.request.post('/api/v1/me/two-factor/enable', { headers, data: { code, password: member.password } });
        expect(enabled.status(), await enabled.text()).toBe(200);
      } finally {
        await api.close();
      }
      await signInThroughLoginPage(signedOut, member.email, member.password);
      await signedOut.getByTestId('login-totp-step').waitFor();
      await check('the login two-factor step', signedOut);
    });
  });

  it('dashboard', async () => {
    await page.goto('/dashboard');
    await page.getByTestId('page-title').waitFor();
    await page.getByTestId('dashboard-scope').waitFor();
    await check('the dashboard');
  });

  it('inbox with a message open, the shortcuts help, the header menus', async () => {
    await page.goto('/inbox');
    await page.getByTestId('message-row').first().waitFor();
    await check('the inbox');
    await page.getByTestId('message-row').filter({ hasText: '关于合同的报价' }).getByTestId('row-open').click();
    await page.getByTestId('thread-message').first().waitFor();
    await check('the inbox with a message open');
    await page.getByTestId('thread-message').getByTestId('sender-name').click();
    await page.getByTestId('sender-card').waitFor();
    await check('the sender card');
    await page.getByTestId('thread-message').getByTestId('sender-name').click();
    await page.getByTestId('sender-card').waitFor({ state: 'detached' });

    await page.getByTestId('shortcuts-button').click();
    await page.getByRole('dialog').waitFor();
    await check('the keyboard shortcuts dialog');
    await closeDialog();

    await page.getByTestId('reminder-bell').click();
    await page.getByTestId('reminder-item').first().waitFor({ timeout: 30_000 });
    await check('the reminders menu');
    await page.keyboard.press('Escape');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').waitFor();
    await check('the language menu');
    await page.keyboard.press('Escape');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').waitFor();
    await check('the user menu');
    await page.keyboard.press('Escape');
  });

  for (const kind of ['contacts', 'companies'] as const) {
    it(`${kind} list, form, import and record page`, async () => {
      await page.goto(`/${kind}`);
      await page
        .getByTestId(kind === 'contacts' ? 'contact-row' : 'company-row')
        .first()
        .waitFor();
      await check(`the ${kind} list`);
      await page.getByTestId(`${kind}-create`).click();
      await page.getByRole('dialog').waitFor();
      await check(`the new ${kind} form`);
      await closeDialog();
      await page.getByTestId(`${kind}-import`).click();
      await page.getByRole('dialog').waitFor();
      await check(`the ${kind} CSV import`);
      await closeDialog();

      await page.goto(`/${kind}/${kind === 'contacts' ? ids.contact : ids.company}`);
      await page.getByTestId('record-name').waitFor();
      await check(`a ${kind} record page`);
      for (const tab of await page.locator('[data-testid^="tab-"]').all()) {
        const name = (await tab.getAttribute('data-testid')) ?? '';
        if ((await tab.getAttribute('aria-selected')) === 'true') continue;
        await tab.click();
        await check(`a ${kind} record page, ${name}`);
      }
    });
  }

  it('deals board, table, forms and record page', async () => {
    await page.goto('/deals');
    await page.getByTestId('deal-card').first().waitFor();
    await check('the deals board');
    await page.getByTestId('deals-create').click();
    await page.getByRole('dialog').waitFor();
    await check('the new deal form');
    await closeDialog();
    await page.getByTestId('stages-edit').click();
    await page.getByRole('dialog').waitFor();
    await check('the pipeline stages dialog');
    await closeDialog();
    await page
      .getByTestId('deals-view')
      .locator('label', { hasText: locale === 'zh-CN' ? '表格' : 'Table' })
      .click();
    await page.getByTestId('deal-row').first().waitFor();
    await check('the deals table');

    await page.goto(`/deals/${ids.deal}`);
    await page.getByTestId('record-name').waitFor();
    await check('a deal record page');
  });

  it('mailboxes page, its dialogs and every step of the bind wizard', async () => {
    await page.goto('/settings/mailboxes');
    const row = page.locator(`[data-testid="mailbox-row"][data-email="${user}"]`);
    await row.waitFor();
    await check('the mailboxes page');
    for (const action of ['mailbox-settings', 'mailbox-password', 'mailbox-test']) {
      await row.getByTestId('mailbox-row-menu').click();
      if (action === 'mailbox-settings') await check('the mailbox row menu');
      await page.getByTestId(action).click();
      await page.getByRole('dialog').waitFor();
      if (action === 'mailbox-test') await page.locator('[data-testid="test-summary"][data-ok="true"]').waitFor({ timeout: 30_000 });
      await check(`the ${action} dialog`);
      await closeDialog();
    }

    await page.getByTestId('mailboxes-bind').click();
    await page.getByTestId('card-custom').waitFor();
    await check('the bind wizard, type step');
    await page.getByTestId('card-custom').click();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-email').fill(`other-${user}`);
    await check('the bind wizard, address step');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('imap-host').waitFor();
    await page.getByTestId('imap-host').fill('127.0.0.1');
    await page.getByTestId('imap-port').fill(String(servers.dovecot.imapsPort));
    await page.getByTestId('smtp-enabled').uncheck();
    await page.getByTestId('password').fill('not the password');
    await check('the bind wizard, settings step');
    await page.getByTestId('wizard-test').click();
    await page.locator('[data-testid="failure-imap"]').waitFor({ timeout: 30_000 });
    await check('the bind wizard, test step with a failure');
    await page.getByTestId('wizard-force').click();
    await page.getByTestId('wizard-display-name').waitFor();
    await check('the bind wizard, sync step');
    await closeDialog();
  });

  it('users page and its form', async () => {
    await page.goto('/settings/users');
    await page.getByTestId('users-row').first().waitFor();
    await check('the users page');
    await page.getByTestId('users-create').click();
    await page.getByRole('dialog').waitFor();
    await check('the new user form');
    await closeDialog();
    await page.locator(`[data-testid="users-row"][data-email="${member.email}"]`).getByTestId('users-row-menu').click();
    await page.getByTestId('users-reset-password').click();
    await page.getByRole('dialog').waitFor();
    await check('the reset password dialog');
    await closeDialog();
  });

  it('security page: sessions, two-factor set-up, workspace, audit trail', async () => {
    await page.goto('/settings/security');
    await page.getByTestId('sessions-row').first().waitFor();
    await page.getByTestId('audit-row').first().waitFor();
    await check('the security page');
    await page.getByTestId('two-factor-set-up').click();
    await page.getByTestId('two-factor-qr').waitFor();
    await check('the two-factor set-up dialog');
    await closeDialog();
  });

  it('API tokens page, its form and the secret shown once', async () => {
    await page.goto('/settings/tokens');
    await page.getByTestId('tokens-empty').waitFor();
    await check('the API tokens page');
    await page.getByTestId('tokens-create').click();
    await page.getByRole('dialog').waitFor();
    await check('the new API token form');
    await page.getByTestId('token-name').fill('Report script');
    await page.getByTestId('token-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('token-create-submit').click();
    await page.getByTestId('token-secret').waitFor();
    await check('the new API token secret');
    await page.getByTestId('token-secret-done').click();
    await page.getByTestId('tokens-row').waitFor();
    await check('the API tokens page with a token');
  });
});
