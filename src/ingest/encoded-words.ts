import { canonicalCharset, decodeText } from './charset.ts';

/**
 * RFC 2047 encoded words, decoded at the byte level: adjacent words in the same charset are joined
 * as bytes before decoding, so a GBK or UTF-8 character split across two words (as many mailers
 * do when they fold long subjects) comes out whole.
 */
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'B' || encoding === 'b') return Buffer.from(text, 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** Decodes every encoded word in an (already charset-decoded) header value. */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let pending: { charset: string; codec: string | null; chunks: Buffer[] } | null = null;
  const flush = () => {
    if (pending) out += decodeText(Buffer.concat(pending.chunks), pending.charset);
    pending = null;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    // RFC 2047 §6.2: whitespace between adjacent encoded words is not displayed.
    if (!(pending && /^\s*$/.test(between))) {
      flush();
      out += between;
    }
    const charset = m[1].split('*')[0]; // RFC 2231 language suffix: =?utf-8*en?Q?...?=
    const codec = canonicalCharset(charset);
    const bytes = wordBytes(m[2], m[3]);
    const current = pending as { charset: string; codec: string | null; chunks: Buffer[] } | null;
    if (current && current.codec === codec) current.chunks.push(bytes);
    else {
      flush();
      pending = { charset, codec, chunks: [bytes] };
    }
    last = (m.index ?? 0) + m[0].length;
  }
  flush();
  return out + value.slice(last);
}
