import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/auth/two-factor.ts';
import {
  bouncedRecipient,
  checkScreen,
  closeDialog,
  created,
  messageIdBySubject,
  TOUR_ADMIN_PASSWORD,
  TOUR_MEMBER,
  TOUR_NEWCOMER,
  TOUR_PASSWORD,
  TOUR_SUBJECTS,
  tourBounce,
  tourMail,
  settled,
} from './a11y-tour.ts';
import { axeReport, STRUCTURE_RULES } from './axe.ts';
import { signInThroughLoginPage } from './browser.ts';
import { mailServersPerFile, type MailEnv, messageRow, startMailEnv } from './mail-env.ts';

/**
 * Every page of the app and its main dialogs pass axe-core's WCAG 2.0/2.1 A and AA rules, and its rules on
 * landmarks, headings and table headers, checked on the whole document in one UI language: setup, sign-in
 * (its error, the two-factor step, the app failing to load), a newcomer's empty pages, the dashboard, the
 * inbox (a message open, a bounce and its report, an empty search), the compose window (new mail, reply,
 * leaving a draft), the outbox, the CRM lists, record pages and forms, and every settings page with its
 * dialogs (the bind wizard step by step, sign-in apps, organisation access, templates, two-factor from
 * set-up to recovery codes). One browser context visits them in turn on a real server with a bound Dovecot
 * mailbox and seeded CRM records. Each screen is checked softly, so one run lists every broken rule of
 * every screen. A test file calls this once for its language.
 */
export function accessibilityTour({ locale, user }: { locale: 'en-US' | 'zh-CN'; user: string }): void {
  const servers = mailServersPerFile();
  const zh = locale === 'zh-CN';

  describe(`accessibility of every page in ${locale}`, () => {
    let env: MailEnv;
    let page: Page;
    let setupReport = '';
    const tag = locale.toLowerCase();
    const ids = { company: '', contact: '', deal: '', bouncedContact: '' };
    const check = (where: string, p: Page = page) => checkScreen(p, locale, where);

    beforeAll(async () => {
      env = await startMailEnv({
        ...servers,
        locale,
        user,
        password: TOUR_PASSWORD,
        messages: await tourMail(tag),
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

      const company = (
        await created(env, '/api/v1/companies', { name: `星辰科技 ${tag}`, domains: ['xingchen.test'], industry: 'Software' })
      ).company;
      const contact = (
        await created(env, '/api/v1/contacts', { name: '张伟', companyId: company.id, emails: ['zhang.wei@xingchen.test'], tags: ['VIP'] })
      ).contact;
      const deal = (
        await created(env, '/api/v1/deals', {
          name: `ERP ${tag}`,
          companyId: company.id,
          contactIds: [contact.id],
          amount: '12345.6',
          currency: 'CNY',
        })
      ).deal;
      await created(env, '/api/v1/activities', { kind: 'note', subject: 'Called about the ERP rollout', contactId: contact.id });
      await created(env, '/api/v1/activities', {
        kind: 'task',
        subject: 'Send the renewal quote',
        contactId: contact.id,
        dueAt: new Date(Date.now() - 30 * 60_000).toISOString(),
        reminderAt: new Date(Date.now() - 60 * 60_000).toISOString(),
      });
      await created(env, '/api/v1/purchases', { contactId: contact.id, purchasedOn: '2026-11-15', currency: 'CNY', amount: '880' });
      await created(env, '/api/v1/users', { ...TOUR_MEMBER, role: 'member' });
      await created(env, '/api/v1/users', { ...TOUR_NEWCOMER, role: 'member' });
      const bounced = (await created(env, '/api/v1/contacts', { name: 'Nobody Home', emails: [bouncedRecipient(tag)] })).contact;
      Object.assign(ids, { company: company.id, contact: contact.id, deal: deal.id, bouncedContact: bounced.id });
      for (const raw of await tourBounce(user, tag)) await servers.dovecot.append(user, 'INBOX', raw);
    }, 300_000);

    afterAll(async () => env?.stop());

    it('setup page', () => {
      expect.soft(setupReport).toBe('');
    });

    describe('signed out, and a newcomer with nothing yet', () => {
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
          const login = await api.request.post('/api/v1/auth/login', {
            data: { email: TOUR_MEMBER.email, password: TOUR_MEMBER.password },
          });
          expect(login.status()).toBe(200);
          const csrf = (await api.cookies()).find((c) => c.name === 'tidings_csrf')?.value ?? '';
          const headers = { 'x-csrf-token': csrf, origin: env.server.url };
          const started = await api.request.post('/api/v1/me/two-factor/setup', { headers });
          expect(started.status()).toBe(200);
          const { secret } = await started.json();
          const code = await currentTotp(secret);
          const enabled = await api.request.post('/api/v1/me/two-factor/enable', {
            headers,
            data: { code, password: TOUR_MEMBER.password },
          });
          expect(enabled.status(), await enabled.text()).toBe(200);
        } finally {
          await api.close();
        }
        await signInThroughLoginPage(signedOut, TOUR_MEMBER.email, TOUR_MEMBER.password);
        await signedOut.getByTestId('login-totp-step').waitFor();
        await check('the login two-factor step', signedOut);
      });

      it('the page shown when the app cannot load', async () => {
        const problem = { type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'internal' };
        await signedOut.route('**/api/v1/setup', (route) =>
          route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify(problem) }),
        );
        try {
          await signedOut.goto('/inbox');
          await signedOut.getByTestId('app-load-error').waitFor();
          await check('the app failing to load', signedOut);
        } finally {
          await signedOut.unroute('**/api/v1/setup');
        }
      });

      it("a newcomer's empty inbox, mailboxes, outbox, templates and reminders", async () => {
        await signInThroughLoginPage(signedOut, TOUR_NEWCOMER.email, TOUR_NEWCOMER.password);
        await signedOut.getByTestId('inbox-empty').waitFor();
        await check('the inbox without a mailbox', signedOut);
        await signedOut.getByTestId('reminder-bell').click();
        await signedOut.getByTestId('reminder-empty').waitFor();
        await check('the reminders menu, empty', signedOut);
        await signedOut.keyboard.press('Escape');
        await signedOut.goto('/settings/mailboxes');
        await signedOut.getByTestId('mailboxes-empty').waitFor();
        await check('the mailboxes page, empty, for a member', signedOut);
        await signedOut.goto('/settings/mailboxes/signin-apps');
        await signedOut.getByTestId('signin-apps-admin-only').waitFor();
        await check('the sign-in apps page for a member', signedOut);
        await signedOut.goto('/outbox');
        await signedOut.getByTestId('outbox-empty').waitFor();
        await check('the outbox, empty', signedOut);
        await signedOut.goto('/settings/templates');
        await signedOut.getByTestId('templates-empty').waitFor();
        await check('the templates page, empty', signedOut);
        await signedOut.goto('/settings/organisation');
        await signedOut.getByTestId('organisation-admin-only').waitFor();
        await check('the organisation page for a member', signedOut);
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
      await messageRow(page, TOUR_SUBJECTS.quote).getByTestId('row-open').click();
      await page.getByTestId('thread-message').first().waitFor();
      await check('the inbox with a message open');
      await page.getByTestId('thread-message').getByTestId('sender-name').click();
      await page.getByTestId('sender-card').waitFor();
      await check('the sender card');
      await page.getByTestId('thread-message').getByTestId('sender-name').click();
      await page.getByTestId('sender-card').waitFor({ state: 'detached' });
      await page.getByTestId('action-move').click();
      await page.getByTestId('move-menu').waitFor();
      await check('the move menu');
      await page.keyboard.press('Escape');

      await page.getByTestId('shortcuts-button').click();
      await page.getByRole('dialog').waitFor();
      await check('the keyboard shortcuts dialog');
      await closeDialog(page);

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

    it('inbox: a search that finds nothing, a bounced message and its delivery report', async () => {
      await page.goto('/inbox');
      await page.getByTestId('message-row').first().waitFor();
      await page.getByTestId('search-input').fill('nothing matches this');
      await page.getByTestId('search-input').press('Enter');
      await page.getByTestId('message-list-empty').waitFor();
      await check('the inbox with a search that finds nothing');

      const [bounced, report] = await Promise.all([
        messageIdBySubject(env, TOUR_SUBJECTS.bounced),
        messageIdBySubject(env, TOUR_SUBJECTS.report),
      ]);
      await env.waitFor('the bounce linked', async () => (await env.call('GET', `/api/v1/messages/${bounced}`)).data.bounces?.length === 1);
      await page.goto(`/inbox?message=${bounced}`);
      await page.getByTestId('bounce-failed').waitFor();
      await check('a bounced message');
      await page.goto(`/inbox?message=${report}`);
      await page.getByTestId('bounce-report-of').waitFor();
      await check('a delivery report');
    });

    it('compose window: new mail, its menus, leaving a draft, a reply', async () => {
      await page.goto('/inbox');
      await page.getByTestId('message-row').first().waitFor();
      await page.getByTestId('inbox-compose').click();
      await page.getByTestId('compose-form').waitFor();
      await check('the compose window, new mail');
      await page.getByTestId('compose-show-cc').click();
      await page.getByTestId('compose-bcc').waitFor();
      await page.getByTestId('compose-template').click();
      await page.getByTestId('compose-template-menu').waitFor();
      await check('the compose window with Cc, Bcc and the template menu');
      await page.getByTestId('compose-template').click();
      await page.getByTestId('compose-template-menu').waitFor({ state: 'hidden' });
      await page.getByTestId('compose-subject').fill(`Draft for the outbox ${tag}`);
      await page.locator('[data-testid="compose-save-state"][data-state="saved"]').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('compose-discard-modal').waitFor();
      await check('the leave-this-message dialog');
      await page.getByTestId('compose-keep-draft').click();
      await page.getByTestId('compose-window').waitFor({ state: 'detached' });

      await messageRow(page, TOUR_SUBJECTS.plan).getByTestId('row-open').click();
      await page.getByTestId('message-reply').click();
      await page.locator('[data-testid="compose-window"][data-kind="reply"]').getByTestId('compose-form').waitFor();
      await check('the compose window, a reply');
      await page.keyboard.press('Escape');
      await page.getByTestId('compose-discard-modal').waitFor();
      await page.getByTestId('compose-discard').click();
      await page.getByTestId('compose-window').waitFor({ state: 'detached' });
    });

    it('outbox: a draft, every state, the delete dialog', async () => {
      await page.goto('/outbox');
      await page.getByTestId('outbox-row').first().waitFor();
      await check('the outbox with a draft');
      await page
        .getByTestId('outbox-states')
        .locator('label', { hasText: zh ? '已发送' : 'Sent' })
        .click();
      await page.getByTestId('outbox-empty').waitFor();
      await check('the outbox, sent, empty');
      await page
        .getByTestId('outbox-states')
        .locator('label', { hasText: zh ? '草稿' : 'Drafts' })
        .click();
      await page.getByTestId('outbox-row').first().getByTestId('outbox-delete').click();
      await page.getByRole('dialog').waitFor();
      await check('the delete-draft dialog');
      await closeDialog(page);
    });

    it('templates: the form, a template, the delete dialog, the compose menu with it', async () => {
      await page.goto('/settings/templates');
      await page.getByTestId('templates-empty').waitFor();
      await page.getByTestId('templates-create').click();
      await page.getByTestId('template-form-modal').getByTestId('template-name').waitFor();
      await check('the new template form');
      await page.getByTestId('template-name').fill(`Follow-up ${tag}`);
      await page.getByTestId('template-subject').fill('Following up');
      await page.getByTestId('template-body').click();
      await page.keyboard.type('Hello, just checking in.');
      await page.getByTestId('template-submit').click();
      await page.getByTestId('templates-row').waitFor();
      await check('the templates page with a template');
      await page.getByTestId('templates-delete').click();
      await page.getByRole('dialog').waitFor();
      await check('the delete-template dialog');
      await closeDialog(page);
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
        await closeDialog(page);
        await page.getByTestId(`${kind}-import`).click();
        await page.getByRole('dialog').waitFor();
        await check(`the ${kind} CSV import`);
        await closeDialog(page);

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

    it('a contact whose address bounces, a record that does not exist', async () => {
      await page.goto(`/contacts/${ids.bouncedContact}`);
      await page.getByTestId('email-bouncing').waitFor();
      await page.getByTestId('email-bouncing').focus();
      await page.getByRole('tooltip').waitFor();
      await check('a contact with a bouncing address');
      await page.goto('/contacts/00000000-0000-4000-8000-000000000000');
      await page.getByTestId('contact-load-error').waitFor();
      await check('a contact that does not exist');
    });

    it('deals board, table, forms and record page', async () => {
      await page.goto('/deals');
      await page.getByTestId('deal-card').first().waitFor();
      await check('the deals board');
      await page.getByTestId('deals-create').click();
      await page.getByRole('dialog').waitFor();
      await check('the new deal form');
      await closeDialog(page);
      await page.getByTestId('stages-edit').click();
      await page.getByRole('dialog').waitFor();
      await check('the pipeline stages dialog');
      await closeDialog(page);
      await page
        .getByTestId('deals-view')
        .locator('label', { hasText: zh ? '表格' : 'Table' })
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
        await closeDialog(page);
      }
      await page.getByTestId('mailboxes-invite').click();
      await page.getByTestId('invite-modal').getByTestId('invite-email').waitFor();
      await check('the sign-in link dialog');
      await closeDialog(page);

      await page.getByTestId('mailboxes-bind').click();
      await page.getByTestId('card-custom').waitFor();
      await check('the bind wizard, type step');
      await page.getByTestId('card-other').click();
      await page.getByTestId('other-provider').click();
      await page.getByRole('listbox').waitFor();
      await check('the bind wizard, the other providers list');
      await page.getByTestId('other-provider').press('Escape');
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
      await closeDialog(page);
    });

    it('sign-in apps with a guide open, organisation access', async () => {
      await page.goto('/settings/mailboxes');
      await page.getByTestId('tab-signin-apps').click();
      await page.getByTestId('signin-guide-google').click();
      await page.getByTestId('signin-guide-steps-google').waitFor();
      await check('the sign-in apps page with a guide open');
      await page.goto('/settings/organisation');
      await page.getByTestId('org-bind').waitFor();
      await check('the organisation access page');
    });

    it('users page and its form', async () => {
      await page.goto('/settings/users');
      await page.getByTestId('users-row').first().waitFor();
      await check('the users page');
      await page.getByTestId('users-create').click();
      await page.getByRole('dialog').waitFor();
      await check('the new user form');
      await closeDialog(page);
      await page.locator(`[data-testid="users-row"][data-email="${TOUR_MEMBER.email}"]`).getByTestId('users-row-menu').click();
      await page.getByTestId('users-reset-password').click();
      await page.getByRole('dialog').waitFor();
      await check('the reset password dialog');
      await closeDialog(page);
    });

    it('security page and two-factor from set-up to recovery codes and off', async () => {
      await page.goto('/settings/security');
      await page.getByTestId('sessions-row').first().waitFor();
      await page.getByTestId('audit-row').first().waitFor();
      await check('the security page');
      await page.getByTestId('two-factor-set-up').click();
      await page.getByTestId('two-factor-qr').waitFor();
      await check('the two-factor set-up dialog');
      const secret = ((await page.getByTestId('two-factor-secret').textContent()) ?? '').replace(/\s+/g, '');
      await page.getByTestId('two-factor-code').fill('000000');
      await page.getByTestId('two-factor-password').fill(TOUR_ADMIN_PASSWORD);
      await page.getByTestId('two-factor-enable').click();
      await page.locator('[data-testid="two-factor-code"][aria-invalid="true"]').waitFor();
      await check('the two-factor set-up dialog with a wrong code');
      await page.getByTestId('two-factor-code').fill(await currentTotp(secret));
      await page.getByTestId('two-factor-enable').click();
      await page.getByTestId('two-factor-recovery-codes').waitFor();
      await check('the two-factor recovery codes');
      await page.getByTestId('two-factor-recovery-done').click();
      await page.locator('[data-testid="two-factor-status"][data-enabled="true"]').waitFor();
      await page.getByTestId('two-factor-turn-off').click();
      await page.getByTestId('two-factor-disable-modal').getByRole('textbox').first().waitFor();
      await check('the turn-off two-factor dialog');
      await closeDialog(page);
    });

    it('API tokens page, its form and the secret shown once', async () => {
      await page.goto('/settings/tokens');
      await page.getByTestId('tokens-empty').waitFor();
      await check('the API tokens page');
      await page.getByTestId('tokens-create').click();
      await page.getByRole('dialog').waitFor();
      await check('the new API token form');
      await page.getByTestId('token-name').fill('Report script');
      await page.getByTestId('token-password').fill(TOUR_ADMIN_PASSWORD);
      await page.getByTestId('token-create-submit').click();
      await page.getByTestId('token-secret').waitFor();
      await check('the new API token secret');
      await page.getByTestId('token-secret-done').click();
      await page.getByTestId('tokens-row').waitFor();
      await check('the API tokens page with a token');
    });
  });
}
