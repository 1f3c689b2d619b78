import { describe, expect, it } from 'vitest';
import type { AttachmentRow } from '../../store/tables.ts';
import { displayHtml } from '../../ingest/index.ts';
import { sanitizeHtml } from '../../ingest/sanitize-html.ts';
import { inlineImages } from '../../store/inline-images.ts';
import { messageCsp } from './message-html.ts';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('displayHtml', () => {
  /** A row stored before ingest prepared its HTML: display takes the full sanitizing pass. */
  const legacyRow = (stored: string) => displayHtml(stored, new Map(), false, false).html;

  it('keeps remote images blocked unless asked, and counts them', () => {
    const stored = sanitizeHtml('<p>Hi</p><img src="https://t.example/p.gif" width="1">');
    const blocked = displayHtml(stored, new Map(), false);
    expect(blocked.blockedImages).toBe(1);
    expect(blocked.html).not.toMatch(/\ssrc=/);
    expect(displayHtml(stored, new Map(), true).html).toContain('src="https://t.example/p.gif"');
  });

  it('points cid: images at their inlined data only, case-insensitively, and drops unknown ones', () => {
    const html = displayHtml(sanitizeHtml('<img src="cid:Logo@X"><img src="cid:missing@x">'), new Map([['logo@x', PNG]]), false).html;
    expect(html).toBe(`<img src="${PNG}" /><img />`);
    // A mapping that is not a raster data: URL is never used.
    expect(displayHtml(sanitizeHtml('<img src="cid:a@x">'), new Map([['a@x', 'javascript:alert(1)']]), false).html).toBe('<img />');
  });

  it('keeps only absolute links, opened in a new tab without opener or referrer (rows from before ingest prepared them)', () => {
    const html = legacyRow(
      '<a href="https://a.example/x">a</a><a href="relative">b</a><a href="javascript:alert(1)">c</a><a href="mailto:x@y.example">d</a>',
    );
    expect(html).toBe(
      '<a rel="noopener noreferrer" target="_blank" href="https://a.example/x">a</a><a rel="noopener noreferrer" target="_blank">b</a><a rel="noopener noreferrer" target="_blank">c</a><a rel="noopener noreferrer" target="_blank" href="mailto:x@y.example">d</a>',
    );
  });

  it('drops anything active that an older row let through', () => {
    const html = legacyRow(
      '<script>x()</script><svg onload="x()"></svg><img src="x" onerror="x()"><form action="/a"><input></form><p onclick="x()" style="color:red">ok</p>',
    );
    expect(html).toBe('<img /><p style="color:red">ok</p>');
  });

  it('serves HTML prepared at ingest without parsing it again, touching only images', () => {
    const stored = sanitizeHtml(
      '<p title="&quot;><img src=x onerror=alert(1)>">t</p><a href="relative">r</a><img alt=\'a"b\' src="https://t.example/i.png"><img src="cid:a@x">',
    );
    const shown = displayHtml(stored, new Map([['a@x', PNG]]), true).html;
    expect(shown).not.toMatch(/<img src=x|href="relative"/);
    expect(shown).toContain('title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(shown).toContain('src="https://t.example/i.png"');
    expect(shown).toContain(`src="${PNG}"`);
    // Only image tags change: the rest is the stored string as is.
    expect(shown.replace(/<img[^>]*>/g, '')).toBe(stored.replace(/<img[^>]*>/g, ''));
    // A large body is a string pass, not a parse: well under a second for 2 MB.
    const big = sanitizeHtml(`<table>${'<tr><td style="color:red">cell <b>x</b></td></tr>'.repeat(40_000)}</table>`);
    const started = performance.now();
    displayHtml(big, new Map(), false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('inlineImages', () => {
  const att = (over: Partial<AttachmentRow>): AttachmentRow => ({
    id: 'a',
    message_id: 'm',
    position: 0,
    filename: 'x.png',
    content_type: 'image/png',
    size: 4,
    content_id: '<logo@x>',
    inline: true,
    sha256: 'h',
    ...over,
  });

  it('inlines referenced raster images within the budget, never SVG', async () => {
    const read = async () => Buffer.from('abcd');
    const map = await inlineImages(
      '<img src="cid:logo@x"><img src="cid:vec@x">',
      [att({}), att({ id: 'b', content_id: 'vec@x', content_type: 'image/svg+xml' }), att({ id: 'c', content_id: 'unused@x' })],
      read,
    );
    expect([...map]).toEqual([['logo@x', `data:image/png;base64,${Buffer.from('abcd').toString('base64')}`]]);
    expect(await inlineImages('<img src="cid:logo@x">', [att({ size: 3 * 1024 * 1024 })], read)).toEqual(new Map());
  });
});

describe('messageCsp', () => {
  it('allows no script, form or frame, and remote images only when asked', () => {
    expect(messageCsp(false)).toBe(
      "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox",
    );
    expect(messageCsp(true)).toContain('img-src data: https: http:;');
  });
});
