import { afterEach, describe, expect, it } from 'vitest';
import { createIngestPool, type IngestPool } from '../../src/ingest/pool.ts';
import { buildMessage } from '../support/message.ts';

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
