import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type DovecotInstance, type SmtpInstance, startDovecot } from '../harness/index.ts';
import { launchBrowser } from './browser.ts';
import { asUser } from './imap.ts';
import { startTestServer, type TestServer } from './server.ts';
import { waitFor } from './wait.ts';

/**
 * The mail reader's browser tests share this: a real server with sync on, an admin signed in in a browser
 * context, a Dovecot user whose mailbox is bound through the API (pinned certificate, as the wizard does)
 * and imported.
 */

export interface MailEnv {
  server: TestServer;
  context: BrowserContext;
  page: Page;
  mailboxId: string;
  /** A JSON call as the signed-in admin (session cookie and CSRF header from the browser context). */
  call<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; data: T }>;
  /** Polls the API until `check` holds. */
  waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, ms?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface MailEnvOptions {
  browser: Browser;
  dovecot: DovecotInstance;
  locale: string;
  user: string;
  password: string;
  /** Appended to INBOX before the mailbox is bound. */
  messages: Buffer[];
  /** Extra special-use folders to create and sync (Trash, Archive). */
  folders?: Array<{ name: string; specialUse: string }>;
  /** Bind the mailbox with this SMTP server too (STARTTLS submission, certificate pinned), so it can send. */
  smtp?: SmtpInstance;
  /** Extra environment for the server (e.g. TIDINGS_MAX_MESSAGE_MB). */
  serverEnv?: Record<string, string>;
  /** Runs on the fresh server before the first admin exists (to see the setup page, say). */
  beforeSetup?: (server: TestServer, context: BrowserContext) => Promise<void>;
}

export interface MailServers {
  browser: Browser;
  dovecot: DovecotInstance;
}

/**
 * One Chromium and one Dovecot for the whole test file: started in its `beforeAll`, stopped in its
 * `afterAll`. The fields are there once the file's own `beforeAll` hooks run.
 */
export function mailServersPerFile(): MailServers {
  const servers = {} as MailServers;
  beforeAll(async () => {
    [servers.browser, servers.dovecot] = await Promise.all([launchBrowser(), startDovecot({ tls: 'self-signed' })]);
  }, 120_000);
  afterAll(async () => {
    await servers.browser?.close();
    await servers.dovecot?.stop();
  });
  return servers;
}

export async function startMailEnv(opts: MailEnvOptions): Promise<MailEnv> {
  const { browser, dovecot, locale, user, password } = opts;
  const server = await startTestServer({ env: opts.serverEnv });
  const context = await browser.newContext({ locale, baseURL: server.url, viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const csrf = async () => (await context.cookies()).find((c) => c.name === 'tidings_csrf')?.value ?? '';
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => {
    const res = await context.request.fetch(new URL(path, server.url).toString(), {
      method,
      headers: method === 'GET' ? {} : { 'x-csrf-token': await csrf(), origin: server.url },
      data: body,
      timeout: 30_000,
    });
    const text = await res.text();
    return { status: res.status(), data: text ? JSON.parse(text) : null };
  };
  try {
    await opts.beforeSetup?.(server, context);
    const setup = await call('POST', '/api/v1/setup', {
      name: locale === 'zh-CN' ? '王管理' : 'Ada Admin',
      email: 'admin@example.test',
      password: 'correct horse battery',
    });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status}`);
    await dovecot.addUser(user, password);
    for (const f of opts.folders ?? []) await dovecot.createFolder(user, f.name, f.specialUse);
    for (const raw of opts.messages) await dovecot.append(user, 'INBOX', raw);
    const bound = await call('POST', '/api/v1/mailboxes', {
      email: user,
      imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' },
      ...(opts.smtp ? { smtp: { host: '127.0.0.1', port: opts.smtp.submissionPort, security: 'starttls' } } : {}),
      password,
      trustedCertificates: { imap: dovecot.fingerprint256, ...(opts.smtp ? { smtp: opts.smtp.fingerprint256 } : {}) },
      syncFolders: ['INBOX', ...(opts.folders ?? []).map((f) => f.name)],
    });
    if (bound.status !== 201) throw new Error(`binding failed: ${bound.status} ${JSON.stringify(bound.data)}`);
    const mailboxId = bound.data.mailbox.id as string;
    await waitFor(
      'import',
      async () => (await call('GET', '/api/v1/messages?limit=100')).data.items.length >= opts.messages.length,
      60_000,
    );
    const page = await context.newPage();
    return {
      server,
      context,
      page,
      mailboxId,
      call,
      waitFor,
      async stop() {
        await context.close();
        await server.stop();
      },
    };
  } catch (err) {
    await context.close();
    await server.stop();
    throw err;
  }
}

/** The flags of the message with this Message-ID in `folder` on the server, or null when it is not there. */
export function serverFlags(
  dovecot: DovecotInstance,
  user: string,
  password: string,
  folder: string,
  messageId: string,
): Promise<string[] | null> {
  return asUser(dovecot, user, password, async (c) => {
    const lock = await c.getMailboxLock(folder);
    try {
      const uids = (await c.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
      if (!uids.length) return null;
      const msg = await c.fetchOne(String(uids[0]), { flags: true }, { uid: true });
      return msg ? [...(msg.flags ?? [])].sort() : null;
    } finally {
      lock.release();
    }
  });
}

/** The compose window's send: a draft queued by id. */
export const COMPOSE_SEND_URL = '**/api/v1/outbox/*/send';

/**
 * Until `page.unroute(COMPOSE_SEND_URL)`, the compose window's sends leave after 1 second instead of the
 * default undo window of 10 seconds: for tests about what arrives, not about the window.
 */
export async function shortUndoWindow(page: Page): Promise<void> {
  await page.route(COMPOSE_SEND_URL, async (route) => {
    const body = JSON.parse(route.request().postData() || '{}') as Record<string, unknown>;
    await route.continue({ postData: JSON.stringify({ ...body, undoSeconds: 1 }) });
  });
}

/** The inbox list's row for the message with this subject. */
export function messageRow(page: Page, subject: string): Locator {
  return page.getByTestId('message-row').filter({ has: page.getByTestId('row-subject').getByText(subject, { exact: true }) });
}
