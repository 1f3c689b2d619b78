// What the Graph and EWS harness servers read from a message they send: its recipients from the headers
// (there is no envelope), and the copy recipients get, without Bcc.
import addressparser from 'nodemailer/lib/addressparser';

function headerBlock(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  return raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
}

/** Values of every occurrence of a header, unfolded. */
function headerValues(head: string, name: string): string[] {
  const re = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'gim');
  return [...head.matchAll(re)].map((m) => m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim());
}

function addressesIn(head: string, name: string): string[] {
  return headerValues(head, name).flatMap((v) =>
    addressparser(v, { flatten: true })
      .map((a) => (a.address ?? '').toLowerCase())
      .filter(Boolean),
  );
}

/** To, Cc and Bcc of a source, lowercased, each once. */
export function recipientsOf(raw: Buffer): string[] {
  const head = headerBlock(raw);
  return [...new Set(['To', 'Cc', 'Bcc'].flatMap((h) => addressesIn(head, h)))];
}

/** The source without its Bcc header (continuation lines included), as transport removes it. */
export function withoutBcc(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return raw;
  const head = raw
    .subarray(0, end + 2)
    .toString('latin1')
    .replace(/^Bcc:.*\r\n(?:[ \t].*\r\n)*/gim, '');
  return Buffer.concat([Buffer.from(head, 'latin1'), raw.subarray(end + 2)]);
}
