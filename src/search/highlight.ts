/** Highlighted snippets: HTML-escaped text with <mark> around every term; the only HTML is ours. */

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where the first term occurs (case-insensitive), or -1. */
export function firstMatch(text: string, terms: string[]): number {
  const lower = text.toLowerCase();
  let best = -1;
  for (const t of terms) {
    const i = lower.indexOf(t.toLowerCase());
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/**
 * A window of about `width` characters around the first match, with ellipses where cut, escaped, terms
 * marked. Returns null when no term occurs in the text.
 */
export function highlight(text: string, terms: string[], width = 160): string | null {
  if (!terms.length) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  const at = firstMatch(flat, terms);
  if (at < 0) return null;
  const start = Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  const window = flat.slice(start, end);
  const re = new RegExp(
    terms
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'giu',
  );
  let out = '';
  let last = 0;
  for (const m of window.matchAll(re)) {
    out += `${escapeHtml(window.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index! + m[0].length;
  }
  out += escapeHtml(window.slice(last));
  return `${start > 0 ? '…' : ''}${out}${end < flat.length ? '…' : ''}`;
}
