import iconv from 'iconv-lite';

/**
 * Charset handling for mail as it is found in the wild, not as RFCs wish it were: labels lie
 * (GB2312 carrying GBK characters, "utf-8" on GBK bytes), 8-bit headers carry no label at all,
 * and iconv-lite knows no ISO-2022-JP. Every function here returns a string and never throws.
 */

const GB = 'gb18030';
const BIG5 = 'big5hkscs';
const ISO_2022_JP = 'iso-2022-jp';
const UTF8 = 'utf-8';

// GB18030 is a superset of GBK which is a superset of GB2312: decoding every GB label as GB18030
// loses nothing and keeps the GBK characters that "gb2312" mail routinely carries.
const ALIASES = new Map<string, string | null>([
  ...[
    'gb2312',
    'gbk',
    'x-gbk',
    'cp936',
    'ms936',
    'windows-936',
    'euc-cn',
    'x-euc-cn',
    'gb18030',
    'csgb2312',
    'chinese',
    'gb_2312-80',
    'gb_2312',
    'iso-ir-58',
    'csiso58gb231280',
    'gb2312-80',
  ].map((n) => [n, GB] as const),
  ...['big5', 'big-5', 'x-big5', 'cn-big5', 'csbig5', 'big5-hkscs', 'big5hkscs', 'cp950', 'x-x-big5'].map((n) => [n, BIG5] as const),
  ...['iso-2022-jp', 'csiso2022jp', 'iso-2022-jp-1', 'iso-2022-jp-2', 'jis'].map((n) => [n, ISO_2022_JP] as const),
  ...['utf-8', 'utf8', 'unicode-1-1-utf-8', 'x-unicode20utf8'].map((n) => [n, UTF8] as const),
  // UTF-7 can smuggle markup past filters (+ADw-script+AD4-): treated as UTF-8, as mailparser does.
  ...['utf-7', 'utf7', 'unicode-1-1-utf-7', 'csunicode11utf7', 'utf-7-imap'].map((n) => [n, UTF8] as const),
  // No real information: sniff.
  ...['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us', 'us', '7bit', '8bit', 'unknown', 'unknown-8bit', 'x-unknown', 'default', ''].map(
    (n) => [n, null] as const,
  ),
  // Browsers decode Latin-1 labels as windows-1252, and so does mail that came from them.
  ...['iso-8859-1', 'latin1', 'latin-1', 'l1', 'iso8859-1', 'iso_8859-1', 'cp1252', 'windows-1252'].map(
    (n) => [n, 'windows-1252'] as const,
  ),
  ['ks_c_5601-1987', 'cp949'],
  ['base64', null],
  ['hex', null],
]);

/** Maps a declared charset label to the codec we decode it with; null means "unknown: sniff". */
export function canonicalCharset(label: string | null | undefined): string | null {
  const name = (label ?? '')
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  const alias = ALIASES.get(name);
  if (alias !== undefined) return alias;
  try {
    return iconv.encodingExists(name) ? name : null;
  } catch {
    return null;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

function hasIso2022Escape(bytes: Uint8Array): boolean {
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] === 0x1b && bytes[i + 1] === 0x24 && (bytes[i + 2] === 0x42 || bytes[i + 2] === 0x40)) return true;
  }
  return false;
}

/** Characters that betray a wrong guess: U+FFFD and private-use code points. */
export function countBad(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff)) bad++;
  }
  return bad;
}

/**
 * ISO-2022-JP is JIS X 0208 shifted into 7 bits: setting the high bit of both bytes gives EUC-JP,
 * which iconv-lite does know. Half-width katakana (ESC ( I) become EUC-JP's 0x8E-prefixed form.
 */
export function decodeIso2022Jp(bytes: Uint8Array): string {
  const out = Buffer.allocUnsafe(bytes.length * 2);
  let n = 0;
  let mode: 'ascii' | 'jis0208' | 'jis0212' | 'kana' = 'ascii';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x1b) {
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      if (b1 === 0x24 && (b2 === 0x42 || b2 === 0x40)) {
        mode = 'jis0208';
        i += 2;
        continue;
      }
      if (b1 === 0x24 && b2 === 0x28 && bytes[i + 3] === 0x44) {
        mode = 'jis0212';
        i += 3;
        continue;
      }
      if (b1 === 0x28 && (b2 === 0x42 || b2 === 0x4a)) {
        mode = 'ascii';
        i += 2;
        continue;
      }
      if (b1 === 0x28 && b2 === 0x49) {
        mode = 'kana';
        i += 2;
        continue;
      }
    }
    if (b === 0x0a || b === 0x0d) {
      // RFC 1468: a line ends in ASCII; senders that forget to switch back should not garble the rest.
      mode = 'ascii';
      out[n++] = b;
      continue;
    }
    const next = bytes[i + 1];
    if ((mode === 'jis0208' || mode === 'jis0212') && b >= 0x21 && b <= 0x7e && next >= 0x21 && next <= 0x7e) {
      if (mode === 'jis0212') out[n++] = 0x8f;
      out[n++] = b | 0x80;
      out[n++] = next | 0x80;
      i++;
    } else if (mode === 'kana' && b >= 0x21 && b <= 0x5f) {
      out[n++] = 0x8e;
      out[n++] = b | 0x80;
    } else {
      out[n++] = b;
    }
  }
  return iconv.decode(out.subarray(0, n), 'euc-jp');
}

/**
 * Guesses the legacy CJK (or Western) encoding of bytes that are not valid UTF-8.
 * GB18030 and Big5 both accept most byte pairs, so the tie-break looks at the trail bytes: GB2312's
 * common characters have both bytes >= 0xA1, while about a third of common Big5 characters have a
 * trail byte in 0x40-0x7E. Isolated high bytes between ASCII mean a single-byte Western charset.
 */
export function sniffLegacy(bytes: Uint8Array): string {
  let pairs = 0;
  let lowTrail = 0;
  let runs = 0;
  let singleRuns = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    let j = i;
    while (j < bytes.length && bytes[j] >= 0x80) j++;
    runs++;
    if (j - i === 1) singleRuns++;
    i = j;
  }
  for (let i = 0; i + 1 < bytes.length; ) {
    if (bytes[i] >= 0x81 && bytes[i] <= 0xfe) {
      pairs++;
      if (bytes[i + 1] >= 0x40 && bytes[i + 1] <= 0x7e) lowTrail++;
      i += 2;
    } else i++;
  }
  const gb = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), GB);
  const b5 = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), BIG5);
  const gbBad = countBad(gb);
  const b5Bad = countBad(b5);
  const bigFiveLooking = pairs > 0 && lowTrail / pairs > 0.15;
  if (gbBad === 0 && b5Bad === 0) return bigFiveLooking ? b5 : gb;
  if (gbBad === 0 || b5Bad === 0) return gbBad === 0 ? gb : b5;
  if (runs > 0 && singleRuns / runs > 0.5) return iconv.decode(Buffer.from(bytes), 'windows-1252');
  return gbBad <= b5Bad ? gb : b5;
}

/** Decodes body or header bytes from their declared charset, repairing lying or missing labels. */
export function decodeText(bytes: Uint8Array, declared: string | null | undefined): string {
  const codec = canonicalCharset(declared);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (codec === ISO_2022_JP || (codec === null && isAscii(bytes) && hasIso2022Escape(bytes))) {
    if (isAscii(bytes)) return decodeIso2022Jp(bytes);
    return tryUtf8(bytes) ?? sniffLegacy(bytes);
  }
  if (codec === null || codec === UTF8) {
    if (isAscii(bytes)) return buf.toString('latin1');
    return tryUtf8(bytes) ?? sniffLegacy(bytes);
  }
  let text: string;
  try {
    text = iconv.decode(buf, codec);
  } catch {
    return tryUtf8(bytes) ?? sniffLegacy(bytes);
  }
  const bad = countBad(text);
  if (bad === 0) return text;
  // The label lied: real UTF-8 under a legacy label is common (webmail templates), so is GBK under Big5.
  const utf8 = tryUtf8(bytes);
  if (utf8 !== null) return utf8;
  const guess = sniffLegacy(bytes);
  return countBad(guess) < bad ? guess : text;
}
