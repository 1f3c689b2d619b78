import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIngestPool, type IngestPool } from '../../src/ingest/pool.ts';
import { buildMessage } from '../support/message.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

/** An HTML-only newsletter of about `mb` MB: nested tables, inline styles, a word to find at the end. */
function bigHtmlMessage(mb: number): Buffer {
  const row =
    '<tr><td style="color:#333;font-family:Arial;padding:4px"><b>Offer</b> item <a href="https://shop.example/p">link</a></td></tr>';
  const rows = row.repeat(Math.ceil((mb * 1024 * 1024) / row.length));
  return buildMessage({
    from: 'News <news@shop.example>',
    to: 'me@example.test',
    subject: `big html ${mb} MB`,
    html: `<html><head><style>p{}</style></head><body><table>${rows}</table><p>last-paragraph-marker</p></body></html>`,
  });
}

// A parse worker has the production heap (256 MB): a 15 MB HTML body ran it out of memory before.
describe('big HTML bodies in the parse worker', () => {
  let pool: IngestPool | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('a 15 MB HTML message imports with its text and a "too big to show" flag, not as a parse error', async () => {
    pool = createIngestPool({ size: 1, timeoutMs: 60_000 });
    const { message } = await pool.parse(bigHtmlMessage(15));
    expect(message.parseError).toBeNull();
    expect(message.subject).toBe('big html 15 MB');
    expect(message.htmlTooBig).toBe(true);
    expect(message.html).toBeNull();
    expect(message.text).toContain('Offer item link');
    expect(message.text).toContain('last-paragraph-marker');
    expect(message.text).not.toContain('p{}');
  }, 120_000);

  it('HTML under the cap is sanitized and prepared once, in the worker', async () => {
    pool = createIngestPool({ size: 1 });
    const { message } = await pool.parse(bigHtmlMessage(1));
    expect(message.htmlTooBig).toBe(false);
    expect(message.html).toContain('<a href="https://shop.example/p" rel="noopener noreferrer" target="_blank">link</a>');
  }, 60_000);
});

// Synced through real Dovecot: the view serves what ingest stored, and the server stays responsive meanwhile.
describe('viewing a big HTML message (Dovecot, PGlite)', () => {
  let env: SyncEnv;
  let id: string;

  beforeAll(async () => {
    env = await startSyncEnv('pglite');
    const mailbox = await env.bindMailbox('reader@example.test', 'reader-password-1');
    await env.dovecot.append('reader@example.test', 'INBOX', bigHtmlMessage(1.8));
    env.supervisor().start();
    await waitFor('import', async () => (await countMessages(env, mailbox)) === 1, 60_000);
    id = (await env.admin.get(`/api/v1/messages?mailboxId=${mailbox}`)).data.items[0].id;
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  it('serves the HTML stored at ingest as is, and health answers while three views load', async () => {
    const row = await env.db.db
      .selectFrom('messages')
      .select(['html_body', 'html_prepared'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.html_prepared).toBe(true);
    const views = [1, 2, 3].map(() => env.admin.get(`/api/v1/messages/${id}/html`));
    const started = performance.now();
    const health = await env.admin.get('/api/v1/health');
    const healthMs = performance.now() - started;
    const docs = await Promise.all(views);
    expect(health.statusCode).toBe(200);
    for (const doc of docs) {
      expect(doc.statusCode).toBe(200);
      expect(doc.body).toContain(row.html_body!);
    }
    expect(healthMs).toBeLessThan(1_000);
    const detail = (await env.admin.get(`/api/v1/messages/${id}`)).data;
    expect(detail.htmlTooBig).toBe(false);
  }, 60_000);
});
