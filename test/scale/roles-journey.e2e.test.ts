import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../src/app/ensure-web-build.ts';
import { contextBeforeSignIn, csrfHeader, screenshot, signInThroughLoginPage, timelineMailsOnceLinked } from '../support/browser.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { mailServersPerFile } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';
import { startTidingsProcess, type TidingsProcess } from '../support/tidings-process.ts';
import { type S3Instance, startS3 } from '../harness/s3.ts';
import { waitFor } from '../support/wait.ts';

// The user journey across roles, as on three machines: one web process and two sync processes (the real
// CLI) on one PostgreSQL database and one S3-compatible bucket for the mail's blobs, each process with a
// data dir of its own (nothing shared on disk). The mailbox is bound through the web process's API, a sync
// process imports it into the bucket, the mail is read in the browser (served by the web process, whose
// live stream hears the sync process, its raw source read from the bucket), and the customer becomes a
// contact whose Timeline shows the mail.

const MASTER_KEY = 'test-master-key-0123456789abcdef';
const USER = 'sales-roles@example.test';
const PASSWORD = 'mailbox secret 42';
const CUSTOMER = { name: 'Wang Fang', email: 'wang.fang@customer-corp.com' };
const SUBJECT = 'Contract renewal for next quarter';
const LIVE_SUBJECT = 'One more question about the renewal';

const servers = mailServersPerFile();

describe('the journey with a web process and two sync processes', { timeout: 300_000 }, () => {
  const dataDirs: string[] = [];
  let s3: S3Instance;
  let database: { url: string; drop(): Promise<void> };
  const procs: TidingsProcess[] = [];
  let web: TidingsProcess;
  let context: BrowserContext;
  let page: Page;
  let mailboxId: string;
  const admin = { name: 'Ada Admin', email: 'admin@example.test', password: 'correct horse battery' };
  const customerMail = (subject: string, id: string) =>
    buildMessage({
      from: `${CUSTOMER.name} <${CUSTOMER.email}>`,
      to: USER,
      subject,
      date: new Date(Date.now() - 60_000),
      messageId: `<${id}@customer-corp.com>`,
      text: 'Could you confirm the renewal terms?',
    });
  const messages = async (): Promise<Array<{ id: string; subject: string | null }>> =>
    (await (await context.request.get('/api/v1/messages?limit=100')).json()).items;

  beforeAll(async () => {
    // The web process serves web/dist: built here, once, rather than inside its start.
    await ensureWebBuild();
    s3 = await startS3();
    database = await createPostgresDatabase({ migrated: true });
    await servers.dovecot.addUser(USER, PASSWORD);
    await servers.dovecot.append(USER, 'INBOX', await customerMail(SUBJECT, 'contract'));
    const machine = async (role: 'web' | 'sync') => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `tidings-roles-journey-${role}-`));
      dataDirs.push(dataDir);
      const env = { TIDINGS_BLOB_URL: s3.blobUrl('journey') };
      return startTidingsProcess({ role, databaseUrl: database.url, dataDir, masterKey: MASTER_KEY, env });
    };
    web = await machine('web');
    procs.push(web, ...(await Promise.all([machine('sync'), machine('sync')])));
    ({ context, page } = await contextBeforeSignIn(servers.browser, web.url, admin, {
      locale: 'en-US',
      viewport: { width: 1400, height: 900 },
      timeoutMs: 30_000,
    }));
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    for (const p of procs) await p.stop();
    await database?.drop();
    await s3?.stop();
    for (const dir of dataDirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('binds the mailbox through the web process and a sync process imports it', async () => {
    await signInThroughLoginPage(page, admin.email, admin.password);
    await page.waitForURL('**/inbox');
    const bound = await context.request.post('/api/v1/mailboxes', {
      headers: await csrfHeader(context),
      data: {
        email: USER,
        imap: { host: '127.0.0.1', port: servers.dovecot.imapsPort, security: 'tls' },
        password: PASSWORD,
        trustedCertificates: { imap: servers.dovecot.fingerprint256 },
      },
    });
    expect(bound.status(), await bound.text()).toBe(201);
    mailboxId = (await bound.json()).mailbox.id;
    await waitFor('the import', async () => (await messages()).some((m) => m.subject === SUBJECT), 90_000, 250);
    const held = await Promise.all(
      procs.slice(1).map(async (p) => (await (await fetch(`${p.url}/api/v1/sync/held`)).json()).mailboxIds as string[]),
    );
    expect(held.flat()).toEqual([mailboxId]);
    // The mail's blobs are the bucket's objects; no process wrote any to its own disk.
    expect((await s3.objectKeys()).filter((k) => k.startsWith('journey/')).length).toBeGreaterThan(0);
    for (const dir of dataDirs) expect(await blobFilesIn(dir)).toEqual([]);
    // The web process reads the raw source the sync process stored.
    const id = (await messages()).find((m) => m.subject === SUBJECT)!.id;
    const raw = await context.request.get(`/api/v1/messages/${id}/raw`);
    expect(raw.status()).toBe(200);
    expect((await raw.body()).toString('utf8')).toContain(`Subject: ${SUBJECT}`);
  });

  it('reads the mail in the browser, and new mail arrives live on the web process', async () => {
    const id = (await messages()).find((m) => m.subject === SUBJECT)!.id;
    await page.goto(`/inbox?message=${id}`);
    const view = page.locator(`[data-testid="thread-view"][data-open-id="${id}"]`);
    await view.waitFor();
    await expect(view.getByTestId('thread-subject').textContent()).resolves.toBe(SUBJECT);
    await view.getByTestId('message-text').getByText('Could you confirm the renewal terms?').waitFor();
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor();
    // Raised in the sync process, carried over PostgreSQL, shown by the web process's stream without a reload.
    await servers.dovecot.append(USER, 'INBOX', await customerMail(LIVE_SUBJECT, 'live'));
    await page.getByText(LIVE_SUBJECT).first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'roles-journey-inbox');
  });

  it('links the mail to the customer made a contact through the web process', async () => {
    const created = await context.request.post('/api/v1/contacts', {
      headers: await csrfHeader(context),
      data: { name: CUSTOMER.name, emails: [CUSTOMER.email] },
    });
    expect(created.ok(), await created.text()).toBe(true);
    const contactId = (await created.json()).contact.id as string;
    await page.goto(`/contacts/${contactId}`);
    await page.getByTestId('record-name').filter({ hasText: CUSTOMER.name }).waitFor();
    await timelineMailsOnceLinked(page, 2);
    expect((await page.getByTestId('timeline-mail-link').allTextContents()).sort()).toEqual([LIVE_SUBJECT, SUBJECT].sort());
    await screenshot(page, 'roles-journey-timeline');
  });
});

/** Files under a data dir's blob folder (packs or loose blobs), if it has one. */
async function blobFilesIn(dataDir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(dataDir, 'blobs'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}
