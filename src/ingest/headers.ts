import addressparser from 'nodemailer/lib/addressparser';
import { decodeText } from './charset.ts';
import { decodeEncodedWords } from './encoded-words.ts';
import type { Address, EnvelopeHeaders, ListHeaders } from './types.ts';

/**
 * Our own reader of the top-level header block, independent of mailparser: it works on messages
 * mailparser rejects (so a failed parse still yields headers), decodes undeclared 8-bit headers
 * (GBK from old Chinese mailers) and joins split encoded words at the byte level.
 */

/** Header values as latin1 strings (one char per byte), keyed by lowercased name, in order. */
export type RawHeaders = Map<string, string[]>;

// A header block longer than this is not a header block; the rest is treated as body.
const MAX_HEADER_BYTES = 8 * 1024 * 1024;

export function readRawHeaders(raw: Buffer): RawHeaders {
  const limit = Math.min(raw.length, MAX_HEADER_BYTES);
  let end = limit;
  for (let i = 0; i < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    // A line that is empty (or only CR) ends the headers.
    if (i === 0 || raw[i + 1] === 0x0a || (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a)) {
      end = i === 0 ? 0 : i;
      break;
    }
  }
  const block = raw.subarray(0, end).toString('latin1');
  const headers: RawHeaders = new Map();
  let key: string | null = null;
  let value = '';
  const commit = () => {
    if (key === null) return;
    const list = headers.get(key);
    if (list) list.push(value);
    else headers.set(key, [value]);
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && key !== null) {
      value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // mbox "From " lines and garbage: skip, keep going
    commit();
    key = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1).trim();
  }
  commit();
  return headers;
}

/** Raw latin1 value to Unicode: undeclared 8-bit bytes are sniffed, then encoded words decoded. */
export function decodeUnstructured(latin1: string): string {
  // eslint-disable-next-line no-control-regex
  const eightBit = /[^\x00-\x7f]/.test(latin1) ? decodeText(Buffer.from(latin1, 'latin1'), null) : latin1;
  return decodeEncodedWords(eightBit).replace(/\s+/g, ' ').trim();
}

function eightBitOnly(latin1: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(latin1) ? decodeText(Buffer.from(latin1, 'latin1'), null) : latin1;
}

export function first(headers: RawHeaders, key: string): string | null {
  const v = headers.get(key);
  return v?.length ? v[0] : null;
}

export function textHeader(headers: RawHeaders, key: string): string | null {
  const v = first(headers, key);
  if (v === null) return null;
  const decoded = decodeUnstructured(v);
  return decoded === '' ? null : decoded;
}

function toAddress(name: string | undefined, address: string | undefined): Address | null {
  const addr = (address ?? '').trim().toLowerCase();
  const decodedName = decodeEncodedWords(name ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  const valid = /^[^\s@]+@[^\s@]+$/.test(addr);
  if (!valid && !decodedName && !addr) return null;
  return { name: decodedName || (valid ? null : addr || null), address: valid ? addr : '' };
}

/** Every address in all occurrences of an address header, groups flattened. */
export function addressHeader(headers: RawHeaders, key: string): Address[] {
  const out: Address[] = [];
  for (const raw of headers.get(key) ?? []) {
    let parsed: ReturnType<typeof addressparser>;
    try {
      parsed = addressparser(eightBitOnly(raw));
    } catch {
      continue;
    }
    for (const entry of parsed) {
      const members = 'group' in entry && Array.isArray(entry.group) ? entry.group : [entry as addressparser.Address];
      for (const m of members) {
        const a = toAddress(m.name, m.address);
        if (a) out.push(a);
      }
    }
  }
  return out;
}

const MSG_ID = /<([^<>\s]+)>/g;

/** Message-IDs in a header, normalised to `<id>`; ids without brackets are accepted as tokens. */
export function messageIds(value: string | null): string[] {
  if (!value) return [];
  const found = [...value.matchAll(MSG_ID)].map((m) => `<${m[1]}>`);
  if (found.length) return found;
  return value
    .split(/[\s,]+/)
    .filter((t) => t.length > 2 && t.includes('@'))
    .map((t) => `<${t.replace(/^<|>$/g, '')}>`);
}

export function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const attempts = [
    value,
    value.replace(/\([^)]*\)/g, '').trim(),
    value
      .replace(/^[A-Za-z]+,\s*/, '')
      .replace(/\([^)]*\)/g, '')
      .trim(),
  ];
  for (const v of attempts) {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return null;
}

export function listHeaders(headers: RawHeaders): ListHeaders {
  const lower = (k: string) => textHeader(headers, k)?.toLowerCase() ?? null;
  return {
    listId: textHeader(headers, 'list-id'),
    listUnsubscribe: textHeader(headers, 'list-unsubscribe'),
    precedence: lower('precedence'),
    autoSubmitted: lower('auto-submitted'),
  };
}

export function readEnvelope(raw: Buffer, h: RawHeaders = readRawHeaders(raw)): EnvelopeHeaders {
  const refs = new Set<string>();
  for (const v of h.get('references') ?? []) for (const id of messageIds(v)) refs.add(id);
  const inReplyTo = messageIds(first(h, 'in-reply-to'))[0] ?? null;
  return {
    messageId: messageIds(first(h, 'message-id'))[0] ?? null,
    inReplyTo,
    references: [...refs],
    subject: textHeader(h, 'subject'),
    date: parseDate(first(h, 'date')),
    from: addressHeader(h, 'from'),
    to: addressHeader(h, 'to'),
    cc: addressHeader(h, 'cc'),
    bcc: addressHeader(h, 'bcc'),
    replyTo: addressHeader(h, 'reply-to'),
    sender: addressHeader(h, 'sender')[0] ?? null,
    headers: listHeaders(h),
  };
}
