import iconv from 'iconv-lite';

/** Byte-level MIME pieces for the message builder and for tests that write hostile or odd sources by hand. */

export function b64Word(charset: string, bytes: Buffer): string {
  return `=?${charset}?B?${bytes.toString('base64')}?=`;
}

/** ISO-2022-JP bytes for a text, via EUC-JP (iconv-lite cannot encode ISO-2022-JP itself). */
export function encodeIso2022Jp(text: string): Buffer {
  const euc = iconv.encode(text, 'euc-jp');
  const out: number[] = [];
  let jis = false;
  for (let i = 0; i < euc.length; i++) {
    const b = euc[i];
    if (b >= 0xa1 && i + 1 < euc.length) {
      if (!jis) out.push(0x1b, 0x24, 0x42);
      jis = true;
      out.push(b & 0x7f, euc[i + 1] & 0x7f);
      i++;
    } else {
      if (jis) out.push(0x1b, 0x28, 0x42);
      jis = false;
      out.push(b);
    }
  }
  if (jis) out.push(0x1b, 0x28, 0x42);
  return Buffer.from(out);
}

/** Lines joined with CRLF; strings are taken as latin1, so each character is one byte. */
export function crlf(lines: Array<string | Buffer>): Buffer {
  return Buffer.concat(
    lines.map((l) => (typeof l === 'string' ? Buffer.from(`${l}\r\n`, 'latin1') : Buffer.concat([l, Buffer.from('\r\n')]))),
  );
}

/** Base64 text cut into 76-character lines, as RFC 2045 asks. */
export function wrap76(s: string): string {
  return s.replace(/.{76}/g, '$&\r\n');
}
