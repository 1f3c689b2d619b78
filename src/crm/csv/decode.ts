import iconv from 'iconv-lite';

/**
 * Bytes of an uploaded CSV → text. Excel on a Chinese Windows saves "CSV" in GBK (no BOM); "CSV UTF-8"
 * has a BOM; "Unicode text" is UTF-16LE. Anything that is not valid UTF-8 is read as GB18030, the superset
 * of GBK and GB2312 (and a Latin-1 file then fails to match columns, loudly, rather than half-importing).
 */
export function decodeCsvBytes(bytes: Buffer): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: strictUtf8(bytes.subarray(3)) ?? iconv.decode(bytes.subarray(3), 'gb18030'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
}

function strictUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Comma, semicolon (Excel in many European locales) or tab: whichever the header line has most of. */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = { ',': 0, ';': 0, '\t': 0 } as Record<',' | ';' | '\t', number>;
  for (const ch of unquoted) if (ch in counts) counts[ch as ',' | ';' | '\t']++;
  return (Object.entries(counts) as Array<[',' | ';' | '\t', number]>).reduce((best, cur) => (cur[1] > best[1] ? cur : best), [',', 0] as [
    ',' | ';' | '\t',
    number,
  ])[0];
}
