import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type EwsServerInstance,
  type GraphServerInstance,
  type OAuthProviderInstance,
  sharedTestCaFile,
  startEwsServer,
  startGraphServer,
  startOAuthProvider,
} from '../harness/index.ts';
import { freePort } from '../harness/ports.ts';
import { expectAccessible } from '../support/axe.ts';
import { clickThroughProvider, launchBrowser, screenshot, setupFirstAdmin, signInThroughLoginPage } from '../support/browser.ts';
import { buildMessage } from '../support/message.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The wizard's Exchange / Microsoft 365 path, once per UI language, in a real browser against the
// harness's Graph and EWS servers: "Microsoft 365 or your own Exchange Server?"; Microsoft 365 signs in
// with Microsoft (a Graph sign-in) and binds over Graph; Exchange Server takes the Windows user name,
// the password and the EWS address, binds over EWS; a wrong password shows its code and fix in the UI
// language; both mailboxes' mail reaches the inbox. Every step passes axe-core's WCAG 2 A/AA.

interface Texts {
  question: string;
  testOk: string;
  active: string;
  graph: string;
  ews: string;
}

const cases: { locale: string; tag: string; texts: Texts }[] = [
  {
    locale: 'en-US',
    tag: 'en',
    texts: {
      question: 'Microsoft 365 or your own Exchange Server?',
      testOk: 'Connection successful',
      active: 'Active',
      graph: 'Microsoft Graph',
      ews: 'EWS',
    },
  },
  {
    locale: 'zh-CN',
    tag: 'zh',
    texts: {
      question: 'Microsoft 365 还是自己的 Exchange 服务器?',
      testOk: '连接成功',
      active: '正常',
      graph: 'Microsoft Graph',
      ews: 'EWS',
    },
  },
];

const MICROSOFT_SECRET = 'microsoft-secret-never-shown-0123';
const EWS_PASSWORD = 'Exchange-Pa55word!';

let browser: Browser;
let microsoft: OAuthProviderInstance;
let graph: GraphServerInstance;
let ews: EwsServerInstance;
let caFile: string;

beforeAll(async () => {
  [browser, microsoft, ews] = await Promise.all([launchBrowser(), startOAuthProvider({ kind: 'microsoft' }), startEwsServer()]);
  graph = await startGraphServer({ userinfoUrl: microsoft.userinfoUrl });
  // The harness's servers present certificates of the test CA; the server trusts it like a company CA.
  caFile = await sharedTestCaFile();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([graph?.stop(), ews?.stop(), microsoft?.stop()]);
});

describe.each(cases)('binding Exchange and Microsoft 365 from the wizard ($locale)', ({ locale, tag, texts }) => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  const admin = { name: locale === 'zh-CN' ? '王管理' : 'Ada Admin', email: 'admin@example.test', password: 'correct horse battery' };
  const m365User = `li.${tag}@contoso.example`;
  const ewsUser = `ann.${tag}@fabrikam.example`;
  const ewsLogin = `FABRIKAM\\ann${tag}`;
  const clientId = `tidings-microsoft-${tag}`;

  const row = (email: string) => page.locator(`[data-testid="mailbox-row"][data-email="${email}"]`);
  const dialog = '[role="dialog"]';

  beforeAll(async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    server = await startTestServer({
      env: {
        PORT: String(port),
        TIDINGS_BASE_URL: baseUrl,
        TIDINGS_MICROSOFT_AUTHORITY: microsoft.issuer,
        TIDINGS_MICROSOFT_CLIENT_ID: clientId,
        TIDINGS_MICROSOFT_CLIENT_SECRET: MICROSOFT_SECRET,
        TIDINGS_GRAPH_URL: graph.baseUrl,
        TIDINGS_EXTRA_CA_FILE: caFile,
      },
    });
    microsoft.registerClient({ clientId, clientSecret: MICROSOFT_SECRET, redirectUris: [`${baseUrl}/oauth/callback`] });
    microsoft.addAccount(m365User);
    graph.addMailbox(m365User);
    graph.deliver(m365User, 'inbox', buildMessage({ from: 'Zoe Client <zoe@client.test>', to: m365User, subject: `Graph quote ${tag}` }));
    ews.addUser({ email: ewsUser, username: ewsLogin, password: EWS_PASSWORD });
    ews.deliver(ewsUser, 'inbox', buildMessage({ from: 'Wu Buyer <wu@customer.test>', to: ewsUser, subject: `EWS order ${tag}` }));

    context = await browser.newContext({ locale, baseURL: server.url, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    await setupFirstAdmin(server.url, admin);
    page = await context.newPage();
    await signInThroughLoginPage(page, admin.email, admin.password);
    await page.waitForURL('**/inbox');
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !context) return;
    for (const [i, open] of context.pages().entries())
      await screenshot(open, `${locale}-exchange-failed-${ctx.task.name.slice(0, 40)}-${i}`).catch(() => undefined);
  });

  /** Steps 1–2 of the wizard on the Exchange / Microsoft 365 card; returns at the question. */
  async function toQuestion(email: string) {
    await page.goto('/settings/mailboxes');
    await page.getByTestId('mailboxes-bind').first().click();
    await page.getByTestId('card-microsoft').click();
    await expectAccessible(page, 'wizard, type', dialog);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-email').fill(email);
    await expectAccessible(page, 'wizard, address', dialog);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('exchange-choice').waitFor();
    await expect(page.getByTestId('exchange-choice').textContent()).resolves.toContain(texts.question);
    // A radio group: the question is the group's name, each answer a radio.
    await expect(page.getByRole('radiogroup', { name: texts.question }).getByRole('radio').count()).resolves.toBe(2);
  }

  /** The test passed: save with the defaults and see the row active, with its protocol. */
  async function saveTested(email: string, protocol: 'graph' | 'ews') {
    await page.locator('[data-testid="test-summary"][data-ok="true"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('test-summary').textContent()).resolves.toContain(texts.testOk);
    await expect(page.getByTestId('report-imap').getAttribute('data-protocol')).resolves.toBe(protocol);
    expect(await page.getByTestId('report-smtp').count()).toBe(0);
    expect(await page.locator('[data-testid^="stage-"][data-ok="false"]').count()).toBe(0);
    await expectAccessible(page, `wizard, ${protocol} tested`, dialog);
    await page.getByTestId('wizard-next').click();
    await expectAccessible(page, `wizard, ${protocol} sync options`, dialog);
    await page.getByTestId('wizard-save').click();
    await row(email).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(row(email).getByTestId('mailbox-status').textContent()).resolves.toBe(texts.active);
    await expect(row(email).getByTestId('mailbox-protocol').getAttribute('data-protocol')).resolves.toBe(protocol);
    await expect(row(email).getByTestId('mailbox-protocol').textContent()).resolves.toContain(
      protocol === 'graph' ? texts.graph : texts.ews,
    );
    await expectAccessible(page, `mailboxes with a ${protocol} mailbox`);
  }

  async function expectInInbox(subject: string) {
    await page.getByTestId('nav-inbox').click();
    const found = page.getByTestId('row-subject').getByText(subject, { exact: true });
    for (let i = 0; i < 30 && !(await found.isVisible()); i++) {
      await page.waitForTimeout(1000);
      if (i % 5 === 4) await page.reload();
    }
    await found.waitFor({ timeout: 10_000 });
  }

  it('binds a Microsoft 365 mailbox over Microsoft Graph: the question, Sign in with Microsoft, test, save', async () => {
    await toQuestion(m365User);
    // contoso.example names no provider: the card's first answer, Microsoft 365, is chosen; nothing to type.
    await expect(page.getByTestId('exchange-choice-microsoft365').isChecked()).resolves.toBe(true);
    await page.getByTestId('graph-ready').waitFor();
    expect(await page.getByTestId('password').count()).toBe(0);
    expect(await page.getByTestId('imap-host').count()).toBe(0);
    await expectAccessible(page, 'wizard, Microsoft 365', dialog);
    await screenshot(page, `${locale}-exchange-m365`);

    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('signin-start').click()]);
    await clickThroughProvider(popup, microsoft.issuer, m365User);
    await popup.waitForEvent('close', { timeout: 20_000 });
    await page.getByTestId('stage-imap-token').waitFor({ timeout: 30_000 });
    await saveTested(m365User, 'graph');
    await screenshot(page, `${locale}-exchange-m365-bound`);
    await expectInInbox(`Graph quote ${tag}`);
  });

  it('explains a wrong Exchange password in the UI language, then binds over EWS with the typed address', async () => {
    await toQuestion(ewsUser);
    await page.getByTestId('exchange-choice-exchange').check();
    await page.getByTestId('ews-fields').waitFor();
    expect(await page.getByTestId('signin-start').count()).toBe(0);
    await page.getByTestId('username').fill(ewsLogin);
    await page.getByTestId('password').fill('not the password');
    await page.getByTestId('ews-url').fill(ews.url);
    await expectAccessible(page, 'wizard, Exchange Server', dialog);
    await screenshot(page, `${locale}-exchange-ews`);
    await page.getByTestId('wizard-test').click();

    const failure = page.locator('[data-testid="failure-imap"]');
    await failure.waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('report-imap').getAttribute('data-protocol')).resolves.toBe('ews');
    const fix = (await page.getByTestId('fix-imap').textContent()) ?? '';
    expect(fix.length).toBeGreaterThan(10);
    // The fix is in the UI language: Chinese characters for zh-CN, none for en-US.
    expect(/\p{Script=Han}/u.test(fix)).toBe(locale === 'zh-CN');
    await expectAccessible(page, 'wizard, EWS sign-in refused', dialog);
    await screenshot(page, `${locale}-exchange-ews-refused`);

    await page.getByTestId('wizard-back').click();
    await page.getByTestId('password').fill(EWS_PASSWORD);
    await page.getByTestId('wizard-test').click();
    await saveTested(ewsUser, 'ews');
    await expectInInbox(`EWS order ${tag}`);
  });

  it('shows the protocol and the EWS address in the mailbox settings', async () => {
    await page.goto('/settings/mailboxes');
    await row(ewsUser).getByTestId('mailbox-row-menu').click();
    await page.getByTestId('mailbox-settings').click();
    await expect(page.getByTestId('settings-protocol').getAttribute('data-protocol')).resolves.toBe('ews');
    await expect(page.getByTestId('settings-protocol').textContent()).resolves.toContain(ews.url);
    await expectAccessible(page, 'settings dialog, EWS mailbox', dialog);
  });
});
