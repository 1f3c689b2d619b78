import libmime from 'libmime';
import { decode as decodeQuotedPrintable } from 'libqp';
import { first, readRawHeaders } from '../ingest/index.ts';

/**
 * "Forward as attachment" (Outlook, Thunderbird, Gmail's "Forward as attachment"): the original rides
 * in a message/rfc822 part, byte for byte. This finds the first such part and returns its source.
 * Deeper than this is not a forward anyone made by hand.
 */
const MAX_DEPTH = 6;

function splitHeadersAndBody(part: Buffer): { head: Buffer; body: Buffer } {
  for (const sep of ['\r\n\r\n', '\n\n']) {
    const at = part.indexOf(sep);
    if (at >= 0) return { head: part.subarray(0, at + sep.length), body: part.subarray(at + sep.length) };
  }
  return { head: part, body: Buffer.alloc(0) };
}

function decodeBody(body: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return Buffer.from(decodeQuotedPrintable(body.toString('latin1')));
  return body;
}

/** The parts of a multipart body between its boundary lines (preamble and epilogue left out). */
function multipartParts(body: Buffer, boundary: string): Buffer[] {
  const delimiter = `--${boundary}`;
  const text = body.toString('latin1');
  const parts: Buffer[] = [];
  let at = text.startsWith(delimiter) ? 0 : text.indexOf(`\n${delimiter}`);
  while (at >= 0) {
    const lineEnd = text.indexOf('\n', at + 1 + delimiter.length);
    if (lineEnd < 0) break;
    const marker = text.slice(text[at] === '\n' ? at + 1 : at, lineEnd).trimEnd();
    if (marker === `${delimiter}--`) break;
    const next = text.indexOf(`\n${delimiter}`, lineEnd);
    const end = next < 0 ? text.length : text[next - 1] === '\r' ? next - 1 : next;
    parts.push(body.subarray(lineEnd + 1, end));
    at = next;
  }
  return parts;
}

function isAttachedMessage(type: string, filename: string | undefined): boolean {
  if (type === 'message/rfc822' || type === 'message/global') return true;
  // Some clients label a saved .eml as bytes.
  return type === 'application/octet-stream' && !!filename && /\.eml$/i.test(filename);
}

/** The source of the first message attached to `raw` (message/rfc822 or an .eml file), or null. */
export function findAttachedMessage(raw: Buffer, depth = 0): Buffer | null {
  if (depth > MAX_DEPTH) return null;
  const { head, body } = splitHeadersAndBody(raw);
  const headers = readRawHeaders(head);
  const type = libmime.parseHeaderValue(first(headers, 'content-type') ?? 'text/plain', { stripComments: true });
  const mime = String(type.value).toLowerCase();
  const encoding = (first(headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  if (depth > 0) {
    const disposition = libmime.parseHeaderValue(first(headers, 'content-disposition') ?? '', { stripComments: true });
    const filename = disposition.params.filename ?? type.params.name;
    if (isAttachedMessage(mime, filename)) {
      const source = decodeBody(body, encoding);
      return source.length ? source : null;
    }
  }
  if (!mime.startsWith('multipart/') || !type.params.boundary) return null;
  for (const part of multipartParts(body, type.params.boundary)) {
    const found = findAttachedMessage(part, depth + 1);
    if (found) return found;
  }
  return null;
}
