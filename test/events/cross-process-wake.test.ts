import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DovecotInstance, type SmtpInstance, startDovecot, startSmtp } from '../harness/index.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { HttpSession } from '../support/http-session.ts';
import { startTidingsProcess, type TidingsProcess } from '../support/tidings-process.ts';
import { waitFor } from '../support/wait.ts';

const MASTER_KEY = 'wake-test-master-key-0123456789';
/** Both workers poll this seldom here: a delivery sooner than this was woken, not polled. */
const POLL_MS = 60_000;

/**
 * Work queued through a `--role web` process (which runs no sender) is sent by the `--role sync` process
 * at once: a webhook test delivery (the web process announces it over PostgreSQL LISTEN/NOTIFY as
 * webhook.queued) and a message sent without an undo window (outbox.updated, queued), each waking the
 * sync process's sender without waiting for its next poll.
 */
describe('work queued in a web process wakes the sync process', { timeout: 240_000 }, () => {
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> };
  let web: TidingsProcess;
  let sync: TidingsProcess;
  let server: http.Server;
  let dovecot: DovecotInstance;
  let smtp: SmtpInstance;
  let admin: HttpSession;
  const arrived: Array<{ event: string; at: number }> = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-wake-'));
    database = await createPostgresDatabase();
    dovecot = await startDovecot();
    smtp = await startSmtp({ dovecot });
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        arrived.push({ event: String(req.headers['tidings-event']), at: Date.now() });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const env = { TIDINGS_TEST_WORKER_POLL_MS: String(POLL_MS) };
    // One after the other: the first migrates the new database.
    web = await startTidingsProcess({ role: 'web', databaseUrl: database.url, dataDir, masterKey: MASTER_KEY, env });
    sync = await startTidingsProcess({ role: 'sync', databaseUrl: database.url, dataDir, masterKey: MASTER_KEY, env });
    admin = await HttpSession.setup(web.url);
  });
  afterAll(async () => {
    await web?.stop();
    await sync?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await smtp?.stop();
    await dovecot?.stop();
    await database?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('delivers a test event well before the poll interval', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const { webhook } = await admin.json<{ webhook: { id: string } }>('/api/v1/webhooks', {
      method: 'POST',
      body: { url, events: ['task.due'] },
    });
    // The sync worker's first look (at its start) has passed; the next poll is a minute away.
    const queuedAt = Date.now();
    await admin.json(`/api/v1/webhooks/${webhook.id}/test`, { method: 'POST' });
    const got = await waitFor('the test delivery at the receiver', async () => arrived.find((a) => a.event === 'webhook.test'), 20_000);
    expect(got.at - queuedAt).toBeLessThan(10_000);
    await waitFor('the delivery recorded as delivered', async () => {
      const { items } = await admin.json<{ items: Array<{ state: string }> }>(`/api/v1/webhooks/${webhook.id}/deliveries`);
      return items.length === 1 && items[0]!.state === 'delivered';
    });
  });

  it('sends a message composed through the web process well before the poll interval', async () => {
    const user = 'wake@example.test';
    await dovecot.addUser(user, 'pw-wake-outbox');
    const { mailbox } = await admin.json<{ mailbox: { id: string } }>('/api/v1/mailboxes', {
      method: 'POST',
      body: {
        email: user,
        imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' },
        smtp: { host: '127.0.0.1', port: smtp.submissionPort, security: 'starttls' },
        password: 'pw-wake-outbox',
        trustedCertificates: { imap: dovecot.fingerprint256, smtp: smtp.fingerprint256 },
        syncFolders: ['INBOX'],
      },
    });
    const queuedAt = Date.now();
    const item = await admin.json<{ state: string; messageIdHeader: string }>('/api/v1/outbox', {
      method: 'POST',
      body: { mailboxId: mailbox.id, to: [{ address: user }], subject: 'Woken', html: '<p>Sent at once.</p>', send: true, undoSeconds: 0 },
    });
    expect(item.state).toBe('queued');
    const got = await waitFor('the message at the SMTP server', async () => smtp.receivedWithMessageId(item.messageIdHeader)[0], 20_000);
    expect(got.receivedAt.getTime() - queuedAt).toBeLessThan(10_000);
  });
});
