/**
 * Raw sources stored without their attachments' base64.
 *
 * A message with attachments holds each attachment twice once stored: decoded, as the attachment's
 * own blob, and base64-encoded inside the raw source (a third larger). In business mail that second
 * copy is most of the bytes. Where re-encoding the decoded blob reproduces the encoded stretch of the
 * source byte for byte (the usual case: one line length, one kind of line break), the raw source is
 * stored "dehydrated": its other bytes plus, per attachment, a reference to the blob and the layout.
 * Reading it back rebuilds the exact source; anything that would not round-trip is stored as it is.
 * (Dovecot's single-instance attachment storage works the same way.)
 *
 * Record layout: "TDH1", a 4-byte big-endian length, that many bytes of JSON ({ size, spans }), then
 * the source with every span cut out.
 */

export interface EncodedSpan {
  /** Where the base64 text is in the raw source: [start, end). */
  start: number;
  end: number;
  /** The decoded bytes' blob key. */
  sha256: string;
  /** Characters per line (every line but the last). */
  lineLength: number;
  eol: '\r\n' | '\n';
  /** The stretch ends with a line break. */
  trailingEol: boolean;
}

const MAGIC = Buffer.from('TDH1', 'latin1');
/** Smaller attachments are not worth a reference (and a read of another blob). */
const MIN_SPAN_BYTES = 2048;

/** The base64 of `bytes` in lines of `lineLength` characters, as an encoder following that layout writes it. */
export function base64Lines(bytes: Uint8Array, layout: Pick<EncodedSpan, 'lineLength' | 'eol' | 'trailingEol'>): Buffer {
  const encoded = Buffer.from(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), 'latin1');
  const { lineLength, eol, trailingEol } = layout;
  const lines = Math.max(1, Math.ceil(encoded.length / lineLength));
  const eolBytes = eol.length;
  const out = Buffer.allocUnsafe(encoded.length + (lines - 1 + (trailingEol ? 1 : 0)) * eolBytes);
  let at = 0;
  for (let i = 0; i < lines; i++) {
    at += encoded.copy(out, at, i * lineLength, Math.min(encoded.length, (i + 1) * lineLength));
    if (i < lines - 1 || trailingEol) {
      if (eolBytes === 2) out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
  }
  return out;
}

/** How a base64 text is laid out, when it is laid out regularly; `chars` counts all but the line breaks. */
export interface Base64Layout {
  lineLength: number;
  eol: '\r\n' | '\n';
  trailingEol: boolean;
  chars: number;
  /** '=' characters at the end (0, 1 or 2). */
  padding: number;
}

/**
 * The layout of `text` if every line but the last has the first line's length and ends in the first
 * line's break, with no break anywhere else; null otherwise. Looks at the line ends only, not at every
 * byte, so it costs next to nothing.
 */
export function base64Layout(text: Buffer): Base64Layout | null {
  const firstBreak = text.indexOf(0x0a);
  const crlf = firstBreak > 0 && text[firstBreak - 1] === 0x0d;
  const eol = crlf ? '\r\n' : '\n';
  const eolBytes = eol.length;
  const lineLength = firstBreak < 0 ? text.length : firstBreak - (crlf ? 1 : 0);
  if (lineLength <= 0) return null;
  const trailingEol = text[text.length - 1] === 0x0a;
  if (trailingEol && crlf && text[text.length - 2] !== 0x0d) return null;
  const content = trailingEol ? text.length - eolBytes : text.length; // without the final break
  let chars = 0;
  let at = 0;
  for (;;) {
    const lineEnd = at + lineLength;
    if (lineEnd >= content) {
      const last = text.subarray(at, content);
      if (last.length === 0 || last.includes(0x0a) || last.includes(0x0d)) return null;
      chars += last.length;
      break;
    }
    if (crlf ? text[lineEnd] !== 0x0d || text[lineEnd + 1] !== 0x0a : text[lineEnd] !== 0x0a) return null;
    chars += lineLength;
    at = lineEnd + eolBytes;
  }
  const padding = text[content - 1] === 0x3d ? (text[content - 2] === 0x3d ? 2 : 1) : 0;
  return { lineLength, eol, trailingEol, chars, padding };
}

/**
 * True when decoding `text` (regularly laid out) gave `decodedLength` bytes with every character read:
 * a decoder skips a stray space or an invalid character and stops at a '=' in the middle, so any such
 * character makes the output shorter than the characters promise. base64url's '-' and '_', which Node
 * reads as '+' and '/', are refused too. Then `text` is clean base64, checked without a scan in JavaScript.
 */
export function decodedEveryCharacter(text: Buffer, layout: Base64Layout | null, decodedLength: number): boolean {
  if (!layout || layout.chars % 4 !== 0) return false;
  if (text.includes(0x2d) || text.includes(0x5f)) return false;
  return decodedLength === (layout.chars / 4) * 3 - layout.padding;
}

/**
 * The span of raw[start, end) as the base64 of `bytes` (what decoding that text gave), or null when it is
 * small or re-encoding `bytes` would not give back exactly those bytes (odd line lengths, stray spaces,
 * non-canonical padding).
 *
 * Checked without re-encoding (which cost as much again as decoding): a regular layout, every character
 * decoded (then each is a base64 letter, and the canonical encoding is the only one that decodes to
 * `bytes`, except for the unused bits of the last group), and the last group re-encodes to itself
 * ("QR==" decodes like "QQ==" but would come back as "QQ==").
 */
export function spanFor(raw: Buffer, start: number, end: number, sha256: string, bytes: Uint8Array): EncodedSpan | null {
  if (end - start < MIN_SPAN_BYTES) return null;
  const text = raw.subarray(start, end);
  const layout = base64Layout(text);
  if (!layout || !decodedEveryCharacter(text, layout, bytes.length)) return null;
  const content = layout.trailingEol ? text.length - layout.eol.length : text.length;
  const tail = bytes.length % 3 || 3;
  const lastGroup = Buffer.from(bytes.buffer, bytes.byteOffset + bytes.length - tail, tail).toString('base64');
  if (text.toString('latin1', content - 4, content) !== lastGroup) return null;
  return { start, end, sha256, lineLength: layout.lineLength, eol: layout.eol, trailingEol: layout.trailingEol };
}

/** The record to store instead of `raw`, or null when no span is worth cutting out. */
export function dehydrate(raw: Buffer, spans: EncodedSpan[]): Buffer | null {
  const ordered = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const kept: EncodedSpan[] = [];
  for (const s of ordered) if (!kept.length || s.start >= kept[kept.length - 1].end) kept.push(s);
  if (!kept.length) return null;
  const meta = Buffer.from(JSON.stringify({ size: raw.length, spans: kept }), 'utf8');
  const pieces: Buffer[] = [MAGIC, Buffer.alloc(4), meta];
  pieces[1].writeUInt32BE(meta.length);
  let at = 0;
  for (const s of kept) {
    pieces.push(raw.subarray(at, s.start));
    at = s.end;
  }
  pieces.push(raw.subarray(at));
  return Buffer.concat(pieces);
}

function isDehydrated(record: Uint8Array): boolean {
  return record.length >= 8 && Buffer.from(record.buffer, record.byteOffset, 4).equals(MAGIC);
}

/** Rebuilds the raw source from its record, reading each attachment with `blob`. */
export async function hydrate(record: Buffer, blob: (sha256: string) => Promise<Buffer>): Promise<Buffer> {
  if (!isDehydrated(record)) throw new Error('not a dehydrated raw source');
  const metaLength = record.readUInt32BE(4);
  const meta = JSON.parse(record.toString('utf8', 8, 8 + metaLength)) as { size: number; spans: EncodedSpan[] };
  const rest = record.subarray(8 + metaLength);
  const out = Buffer.allocUnsafe(meta.size);
  let from = 0; // in the source
  let restAt = 0; // in the cut-down bytes
  for (const s of meta.spans) {
    const literal = s.start - from;
    rest.copy(out, from, restAt, restAt + literal);
    restAt += literal;
    const encoded = base64Lines(await blob(s.sha256), s);
    if (encoded.length !== s.end - s.start) throw new Error(`attachment ${s.sha256} does not re-encode to its place in the source`);
    encoded.copy(out, s.start);
    from = s.end;
  }
  if (rest.length - restAt !== meta.size - from) throw new Error('dehydrated source has the wrong length');
  rest.copy(out, from, restAt);
  return out;
}
