import sanitize from 'sanitize-html';

/**
 * Email HTML to a safe subset for the CRM's web UI.
 *
 * Decisions:
 * - `<style>` blocks are dropped, not scrubbed. Their selectors apply to the whole page the message
 *   is shown in (a `position:fixed` overlay or `body{display:none}` is a phishing kit, not an
 *   exploit), and scoping them safely needs a CSS rewriter. Email templates put their layout in
 *   inline `style` attributes anyway (Gmail drops most `<style>` too), and those we keep, filtered
 *   property by property.
 * - No `class`, `id` or `name`: they would pick up the app's own CSS or clobber DOM globals.
 * - Remote images are not loaded (tracking pixels): `src` moves to `data-remote-src`, which the UI
 *   copies back on "show images". `cid:` images keep their `src` for the API to rewrite; `data:`
 *   images only for raster types (SVG can carry script).
 */

const SAFE_TAGS = [
  'a',
  'abbr',
  'address',
  'b',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
  'var',
  'wbr',
];

// Tags whose text content must go with them (otherwise their payload would show up as text).
const DROP_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'title',
  'head',
  'noscript',
  'noembed',
  'noframes',
  'template',
  'svg',
  'math',
  'object',
  'iframe',
  'frameset',
  'applet',
  'xml',
  'button',
];

const CELL_ATTRS = ['colspan', 'rowspan', 'nowrap', 'width', 'height', 'bgcolor', 'align', 'valign', 'abbr', 'scope'];

// A CSS value with none of: url(), expression(), javascript:, escapes (\6a avoid regex checks),
// @import, or comments. Everything else a layout needs (lengths, colours, fonts, rgb()) passes.
const SAFE_VALUE = /^(?!.*(?:url\s*\(|expression|javascript|vbscript|behavior|binding|@import|\\|\/\*))[-#%.,()\w\s"'!/+]*$/i;
const KEYWORD = (...words: string[]) => new RegExp(`^(?:${words.join('|')})$`, 'i');

const SAFE_PROPERTIES = [
  'color',
  'background-color',
  'background',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'text-align',
  'text-decoration',
  'text-indent',
  'text-transform',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'white-space',
  'word-break',
  'word-wrap',
  'overflow-wrap',
  'vertical-align',
  'direction',
  'width',
  'height',
  'max-width',
  'min-width',
  'max-height',
  'min-height',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-radius',
  'border-collapse',
  'border-spacing',
  'list-style-type',
  'table-layout',
  'float',
  'clear',
  'caption-side',
  'empty-cells',
];

const allowedStyles: Record<string, RegExp[]> = Object.fromEntries(SAFE_PROPERTIES.map((p) => [p, [SAFE_VALUE]]));
// `display` and `overflow` only with values that cannot lift content out of the message's box.
allowedStyles.display = [KEYWORD('block', 'inline', 'inline-block', 'table', 'table-row', 'table-cell', 'list-item', 'none')];
allowedStyles.overflow = [KEYWORD('hidden', 'auto', 'visible')];

export const ABSOLUTE_LINK = /^(?:https?:\/\/|mailto:|tel:)/i;

/** A raster image inlined as base64: the only data: URL an <img> may keep. */
export const DATA_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

/**
 * What email HTML may keep: tags, attributes, URL schemes. Ingest sanitises with it; the view's second
 * pass (display-html.ts) uses the same list and differs only in how images and links get their URLs.
 */
export const ALLOWLIST = {
  allowedTags: SAFE_TAGS,
  disallowedTagsMode: 'discard',
  nonTextTags: DROP_WITH_CONTENT,
  allowedAttributes: {
    '*': ['style', 'align', 'valign', 'dir', 'lang', 'title', 'bgcolor', 'width', 'height'],
    a: ['href', 'rel', 'target'],
    img: ['src', 'alt', 'width', 'height', 'border', 'data-remote-src'],
    font: ['face', 'size', 'color'],
    table: ['border', 'cellpadding', 'cellspacing', 'width', 'bgcolor', 'align', 'summary'],
    td: CELL_ATTRS,
    th: CELL_ATTRS,
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    ol: ['start', 'type'],
    ul: ['type'],
    li: ['value'],
    hr: ['size', 'noshade'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
} satisfies sanitize.IOptions;

const OPTIONS: sanitize.IOptions = {
  ...ALLOWLIST,
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedStyles: { '*': allowedStyles },
  parseStyleAttributes: true,
  transformTags: {
    a: (tagName, attribs) => {
      const { rel: _rel, target: _target, href, ...rest } = attribs;
      // A relative link in mail would resolve against this API; only absolute addresses are kept.
      const url = (href ?? '').trim();
      const link: sanitize.Attributes = ABSOLUTE_LINK.test(url) ? { href: url } : {};
      return { tagName, attribs: { ...link, ...rest, rel: 'noopener noreferrer', target: '_blank' } };
    },
    img: (tagName, attribs) => {
      const { src, 'data-remote-src': _forged, ...rest } = attribs;
      const url = (src ?? '').trim();
      if (/^https?:\/\//i.test(url)) return { tagName, attribs: { ...rest, 'data-remote-src': url } };
      if (/^cid:/i.test(url) || DATA_IMAGE.test(url)) return { tagName, attribs: { ...rest, src: url } };
      return { tagName, attribs: rest };
    },
  },
};

export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS);
}

const COMPOSED: sanitize.IOptions = {
  ...OPTIONS,
  allowedSchemesByTag: { img: ['cid', 'data', 'http', 'https'] },
  transformTags: {
    ...OPTIONS.transformTags,
    // What the user wrote goes out as written: a remote image keeps its src (the recipient's client decides).
    img: (tagName, attribs) => {
      const { src, 'data-remote-src': remote, ...rest } = attribs;
      const url = (src ?? remote ?? '').trim();
      if (/^https?:\/\//i.test(url) || /^cid:/i.test(url) || DATA_IMAGE.test(url)) return { tagName, attribs: { ...rest, src: url } };
      return { tagName, attribs: rest };
    },
  },
};

/** HTML a user wrote (compose, signatures, templates): the same allowlist, but remote images keep their src. */
export function sanitizeComposedHtml(html: string): string {
  return sanitize(html, COMPOSED);
}

const TEXT_ONLY: sanitize.IOptions = { allowedTags: [], allowedAttributes: {}, nonTextTags: DROP_WITH_CONTENT };
const ESCAPED: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * Plain text from HTML, for messages that have no text/plain part. Linear-time (tag marks + one
 * sanitize pass), so it also works where mailparser's html-to-text gives up on size or depth.
 */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|div|tr|li|h[1-6]|table|blockquote|pre|dt|dd)\s*>/gi, '$&\n')
    .replace(/<\/t[dh]\s*>/gi, '$& ');
  // sanitize-html decodes entities and re-escapes exactly these five in its text output.
  return sanitize(marked, TEXT_ONLY)
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ESCAPED[e] ?? e)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const TEXT_CHUNK_CHARS = 512 * 1024;

/**
 * htmlToText for HTML too big to display, in bounded memory: converted in pieces cut before a tag, so no
 * single pass holds more than a piece. Blocks whose content is not text go first, whole.
 */
export function bigHtmlToText(html: string): string {
  const stripped = html.replace(/<(script|style|head|title|noscript|template|svg|math)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  const out: string[] = [];
  for (let at = 0; at < stripped.length; ) {
    let end = Math.min(stripped.length, at + TEXT_CHUNK_CHARS);
    if (end < stripped.length) {
      const tag = stripped.lastIndexOf('<', end);
      if (tag > at) end = tag;
    }
    out.push(htmlToText(stripped.slice(at, end)));
    at = end;
  }
  return out.join('\n').trim();
}
