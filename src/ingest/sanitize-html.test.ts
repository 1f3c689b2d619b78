import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml } from './sanitize-html.ts';

/**
 * Each case: hostile or odd HTML and what sanitizing must make of it, either the exact output or the
 * pieces it must keep, a pattern it must never match, and how often a pattern must occur.
 */
interface SanitizeCase {
  name: string;
  html: string;
  exact?: string;
  keeps?: string[];
  never?: RegExp;
  count?: { of: RegExp; times: number };
}

const cases: SanitizeCase[] = [
  {
    name: 'removes scripts, event handlers and hostile elements with their payloads',
    html:
      '<script>alert(1)</script><p onclick="steal()" onmouseover="x()">hi</p>' +
      '<form action="https://evil.example"><input name="pw"><button>Log in</button></form>' +
      '<iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x.swf">' +
      '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">' +
      '<svg onload="alert(1)"><script>alert(2)</script><text>svg payload</text></svg>' +
      '<math><mtext>math payload</mtext></math><style>body{display:none}</style><noscript>ns</noscript>',
    exact: '<p>hi</p>',
  },
  {
    name: 'neutralises javascript:, vbscript: and data: links, keeps http(s)/mailto with rel and target',
    html:
      '<a href="javascript:alert(1)">a</a><a href="JaVaScRiPt&#x3A;alert(1)">b</a><a href=" java\tscript:alert(1)">c</a>' +
      '<a href="vbscript:msgbox(1)">d</a><a href="data:text/html;base64,PHNjcmlwdD4=">e</a><a href="//evil.example/">f</a>' +
      '<a href="https://ok.example/x" target="_self" rel="opener">ok</a><a href="mailto:sales@example.com">mail</a>',
    keeps: [
      '<a href="https://ok.example/x" rel="noopener noreferrer" target="_blank">ok</a>',
      '<a href="mailto:sales@example.com" rel="noopener noreferrer" target="_blank">mail</a>',
    ],
    never: /javascript|vbscript|data:|evil/i,
    count: { of: /rel="noopener noreferrer" target="_blank"/g, times: 8 },
  },
  {
    name: 'blocks remote images, keeps cid: and raster data: images, drops the rest',
    html:
      '<img src="https://tracker.example/p.gif" width="1"><img src="HTTP://x.example/a.png"><img src="cid:logo@corp">' +
      '<img src="data:image/png;base64,iVBORw0KGgo="><img src="data:image/svg+xml;base64,PHN2Zz4="><img src="javascript:alert(1)">' +
      '<img data-remote-src="javascript:alert(1)"><img src="x" onerror="alert(1)"><img srcset="https://t.example/a.png 2x">',
    keeps: [
      '<img width="1" data-remote-src="https://tracker.example/p.gif" />',
      'data-remote-src="HTTP://x.example/a.png"',
      '<img src="cid:logo@corp" />',
      '<img src="data:image/png;base64,iVBORw0KGgo=" />',
    ],
    never: /svg|javascript|onerror|srcset|src="x"|t\.example/,
  },
  {
    name: 'filters inline styles to safe properties and values',
    html:
      '<div style="color:red;width:expression(alert(1));background:url(javascript:alert(1));position:fixed;z-index:9999;font-size:12px;' +
      'background-image:url(https://t.example/x.png);behavior:url(x.htc);-moz-binding:url(x);display:block;color:\\65xpression(1)">x</div>',
    exact: '<div style="color:red;font-size:12px;display:block">x</div>',
  },
  {
    name: 'keeps email table layout and drops class, id and name',
    html:
      '<table width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" class="x" id="main"><tr>' +
      '<td colspan="2" align="center" valign="top" style="padding:8px 4px;border:1px solid #ccc">' +
      '<font face="Arial" color="#333">Hi</font></td></tr></table><a name="top" id="y">t</a>',
    exact:
      '<table width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff"><tr>' +
      '<td colspan="2" align="center" valign="top" style="padding:8px 4px;border:1px solid #ccc">' +
      '<font face="Arial" color="#333">Hi</font></td></tr></table><a rel="noopener noreferrer" target="_blank">t</a>',
  },
];

describe('sanitizeHtml', () => {
  it.each(cases)('$name', ({ html, exact, keeps = [], never, count }) => {
    const out = sanitizeHtml(html);
    if (exact !== undefined) expect(out).toBe(exact);
    for (const piece of keeps) expect(out).toContain(piece);
    if (never) expect(out).not.toMatch(never);
    if (count) expect(out.match(count.of)).toHaveLength(count.times);
  });
});

describe('htmlToText', () => {
  it('keeps line structure, decodes entities and drops hidden payloads', () => {
    expect(
      htmlToText(
        '<div>Hello&nbsp;<b>Bob</b>,</div><p>a &lt; b &amp;&amp; c &quot;q&quot;</p><table><tr><td>Q1</td><td>42</td></tr></table><style>p{}</style><script>x</script>line<br>break',
      ),
    ).toBe('Hello Bob,\na < b && c "q"\nQ1 42\n\nline\nbreak');
  });
});
