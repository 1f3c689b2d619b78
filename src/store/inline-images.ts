import { normaliseCid } from '../ingest/index.ts';
import type { AttachmentRow } from './tables.ts';

const INLINE_TYPES = /^image\/(?:png|jpe?g|gif|webp|bmp)$/i;
const INLINE_MAX = 2 * 1024 * 1024;
const INLINE_TOTAL = 8 * 1024 * 1024;

/**
 * `cid:` images as data: URLs. A frame sandboxed without allow-same-origin has an opaque origin, and the
 * browser sends no SameSite session cookie with its requests, so `/api/v1/attachments/:id` would answer
 * 401 there. Raster types only (SVG can carry script) and within a size budget; others show their alt text.
 */
export async function inlineImages(
  html: string,
  attachments: AttachmentRow[],
  read: (sha256: string) => Promise<Buffer>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const lower = html.toLowerCase();
  let budget = INLINE_TOTAL;
  for (const a of attachments) {
    if (!a.content_id || !INLINE_TYPES.test(a.content_type) || a.size > INLINE_MAX || a.size > budget) continue;
    const cid = normaliseCid(a.content_id);
    if (out.has(cid) || !lower.includes(`cid:${cid}`)) continue;
    budget -= a.size;
    out.set(cid, `data:${a.content_type.toLowerCase()};base64,${(await read(a.sha256)).toString('base64')}`);
  }
  return out;
}
