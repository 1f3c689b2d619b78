import sanitize from 'sanitize-html';
import { ABSOLUTE_LINK, ALLOWLIST, DATA_IMAGE } from './sanitize-html.ts';

const REMOTE = /^https?:\/\//i;

/** A Content-ID as `cid:` URLs and headers both spell it: no angle brackets, lower case. */
export const normaliseCid = (cid: string) => cid.trim().replace(/^<|>$/g, '').toLowerCase();

export interface DisplayHtml {
  html: string;
  /** How many remote images are still blocked in `html`. */
  blockedImages: number;
}

/**
 * For rows stored before ingest prepared their HTML (messages.html_prepared false): the full second pass.
 * Prepares stored (sanitised) HTML for display: `cid:` images get the URL `cidUrls` has for them, remote images
 * get their `src` back only when `showImages`, links open in a new tab without an opener.
 *
 * Defence in depth: the stored HTML went through sanitizeHtml already; this second pass with the same
 * allowlist guards against a bug there or an older row. It differs from ingest where the view must: images
 * may now carry http(s) URLs (remote images the reader asked for), and styles are not parsed again, since
 * they were filtered property by property at ingest and a re-parse would only lose some.
 */
export function displayLegacyHtml(stored: string, cidUrls: Map<string, string>, showImages: boolean): DisplayHtml {
  let blockedImages = 0;
  const html = sanitize(stored, {
    ...ALLOWLIST,
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    parseStyleAttributes: false,
    transformTags: {
      a: (tagName, attribs) => {
        const { rel: _rel, target: _target, href, ...rest } = attribs;
        // A relative link in mail would resolve against this API; only absolute addresses are kept.
        const out: sanitize.Attributes = { ...rest, rel: 'noopener noreferrer', target: '_blank' };
        if (ABSOLUTE_LINK.test((href ?? '').trim())) out.href = (href ?? '').trim();
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const { src, 'data-remote-src': remote, ...rest } = attribs;
        const url = (src ?? '').trim();
        if (/^cid:/i.test(url)) {
          const local = cidUrls.get(normaliseCid(url.slice(4)));
          return { tagName, attribs: local && DATA_IMAGE.test(local) ? { ...rest, src: local } : rest };
        }
        if (DATA_IMAGE.test(url)) return { tagName, attribs: { ...rest, src: url } };
        const remoteUrl = (remote ?? '').trim();
        if (REMOTE.test(remoteUrl)) {
          if (showImages) return { tagName, attribs: { ...rest, src: remoteUrl } };
          blockedImages++;
          return { tagName, attribs: { ...rest, 'data-remote-src': remoteUrl } };
        }
        return { tagName, attribs: rest };
      },
    },
  });
  return { html, blockedImages };
}

const IMG_TAG = /<img\b[^>]*>/gi;
const ATTR = (name: string) => new RegExp(`\\s${name}="([^"]*)"`, 'i');
const CID_SRC = ATTR('src');
const REMOTE_SRC = ATTR('data-remote-src');

/**
 * Stored HTML ready for display: `cid:` images get the data URL `cidUrls` has for them, remote images get
 * their `src` back only when `showImages`. Cheap enough for the main thread on any size: it touches only
 * <img> tags, by pattern, which is sound on sanitize-html's own output (every attribute double-quoted, `"`
 * and `>` escaped inside values, no raw `<` in text). Ingest did everything else (sanitizeHtml); rows
 * stored before that (`prepared` false) take displayLegacyHtml's full pass.
 */
export function displayHtml(stored: string, cidUrls: Map<string, string>, showImages: boolean, prepared = true): DisplayHtml {
  if (!prepared) return displayLegacyHtml(stored, cidUrls, showImages);
  let blockedImages = 0;
  const html = stored.replace(IMG_TAG, (tag) => {
    const src = CID_SRC.exec(tag)?.[1];
    if (src !== undefined && /^cid:/i.test(src)) {
      const local = cidUrls.get(normaliseCid(src.slice(4)));
      return tag.replace(CID_SRC, local && DATA_IMAGE.test(local) ? ` src="${local}"` : '');
    }
    const remote = REMOTE_SRC.exec(tag)?.[1];
    if (remote === undefined || !REMOTE.test(remote)) return tag;
    if (!showImages) {
      blockedImages++;
      return tag;
    }
    return tag.replace(REMOTE_SRC, ` src="${remote}"`);
  });
  return { html, blockedImages };
}
