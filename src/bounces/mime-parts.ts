import { decodeText, first, type RawHeaders, readRawHeaders } from '../ingest/index.ts';

/**
 * A small, bounded MIME walker for reports. mailparser folds message/delivery-status into the body text
 * and keeps no part boundaries, so the report's machine-readable part is read here instead. It never
 * throws on bad input: what cannot be read is left out.
 */

export interface MimePart {
  headers: RawHeaders;
  /** Lowercased type/subtype; text/plain when absent or unreadable (RFC 2045 default). */
  type: string;
  params: Record<string, string>;
  /** Transfer-decoded bytes (not charset-decoded). */
  body: Buffer;
}

export interface WalkLimits {
  maxDepth: number;
  maxParts: number;
}

const DEFAULT_LIMITS: WalkLimits = { maxDepth: 5, maxParts: 64 };

/** Header block and body split at the first empty line (CRLF or LF). */
export function splitHeaderBody(raw: Buffer): { headers: RawHeaders; body: Buffer } {
  const headers = readRawHeaders(raw);
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    if (i === 0) return { headers, body: raw.subarray(1) };
    if (raw[i + 1] === 0x0a) return { headers, body: raw.subarray(i + 2) };
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return { headers, body: raw.subarray(i + 3) };
  }
  return { headers, body: Buffer.alloc(0) };
}

export function contentTypeOf(headers: RawHeaders): { type: string; params: Record<string, string> } {
  const value = first(headers, 'content-type') ?? '';
  const [head, ...rest] = value.split(';');
  const type = (head ?? '').trim().toLowerCase();
  const params: Record<string, string> = {};
  for (const m of rest.join(';').matchAll(/([\w.-]+)\s*=\s*(?:"([^"]*)"|([^;\s]+))/g)) {
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  return { type: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : 'text/plain', params };
}

function decodeQuotedPrintable(latin1: string): Buffer {
  const out: number[] = [];
  const text = latin1.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}

export function transferDecode(headers: RawHeaders, body: Buffer): Buffer {
  const encoding = (first(headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body.toString('latin1'));
  return body;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The parts between boundary lines; the preamble and epilogue are dropped. */
function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = `\n${body.toString('latin1')}`;
  const delimiter = new RegExp(`\\r?\\n--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const out: Buffer[] = [];
  let start = -1;
  for (const m of text.matchAll(delimiter)) {
    if (start >= 0) out.push(Buffer.from(text.slice(start, m.index), 'latin1'));
    if (m[1]) return out;
    // The part starts after the delimiter line's line break.
    const after = m.index + m[0].length;
    start = text.startsWith('\r\n', after) ? after + 2 : after + 1;
  }
  // No closing delimiter (a truncated report): the last part runs to the end.
  if (start >= 0 && start <= text.length) out.push(Buffer.from(text.slice(start), 'latin1'));
  return out;
}

/**
 * The leaf parts of a message in order, multiparts opened up to `maxDepth`; message/* parts are leaves
 * (a returned message is never searched for a report of its own).
 */
export function leafParts(raw: Buffer, limits: WalkLimits = DEFAULT_LIMITS): { top: MimePart; leaves: MimePart[] } {
  const leaves: MimePart[] = [];
  const visit = (bytes: Buffer, depth: number): MimePart => {
    const { headers, body } = splitHeaderBody(bytes);
    const { type, params } = contentTypeOf(headers);
    const part: MimePart = { headers, type, params, body };
    if (type.startsWith('multipart/') && params.boundary && depth < limits.maxDepth) {
      for (const child of splitMultipart(body, params.boundary)) {
        if (leaves.length >= limits.maxParts) break;
        visit(child, depth + 1);
      }
    } else if (leaves.length < limits.maxParts) {
      leaves.push({ ...part, body: transferDecode(headers, body) });
    }
    return part;
  };
  const top = visit(raw, 0);
  return { top, leaves };
}

/** A text part as Unicode (its declared charset, repaired when it lies). */
export function partText(part: MimePart): string {
  return decodeText(part.body, part.params.charset ?? null);
}
