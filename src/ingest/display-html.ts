import sanitize from 'sanitize-html';
import { ALLOWLIST, DATA_IMAGE } from './sanitize-html.ts';

const REMOTE = /^https?:\/\//i;
const ABSOLUTE_LINK = /^(?:https?:\/\/|mailto:|tel:)/i;

/** A Content-ID as `cid:` URLs and headers both spell it: no angle brackets, lower case. */
export const normaliseCid = (cid: string) => cid.trim().replace(/^<|>$/g, '').toLowerCase();

export interface DisplayHtml {
  html: string;
  /** How many remote images are still blocked in `html`. */
  blockedImages: number;
}

/**
 * Prepares stored (sanitised) HTML for display: `cid:` images get the URL `cidUrls` has for them, remote images
 * get their `src` back only when `showImages`, links open in a new tab without an opener.
 *
 * Defence in depth: the stored HTML went through sanitizeHtml already; this second pass with the same
 * allowlist guards against a bug there or an older row. It differs from ingest where the view must: images
 * may now carry http(s) URLs (remote images the reader asked for), and styles are not parsed again, since
 * they were filtered property by property at ingest and a re-parse would only lose some.
 */
export function displayHtml(stored: string, cidUrls: Map<string, string>, showImages: boolean): DisplayHtml {
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
