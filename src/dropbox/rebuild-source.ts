import { createHash } from 'node:crypto';
import libmime from 'libmime';

export interface ForwardedAddress {
  name: string | null;
  address: string;
}

export interface RebuiltOriginal {
  from: ForwardedAddress[];
  to: ForwardedAddress[];
  cc: ForwardedAddress[];
  subject: string | null;
  date: Date | null;
  body: string;
}

const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/**
 * Addresses as forward blocks write them: `Name <a@b>`, `"张三"<a@b>;` (QQ, with semicolons),
 * `Name [mailto:a@b]` (older Outlook), `a@b`, several split by commas or semicolons.
 */
export function parseForwardedAddresses(value: string | undefined): ForwardedAddress[] {
  if (!value) return [];
  const out: ForwardedAddress[] = [];
  // Split on separators outside quotes; Chinese clients also use full-width ones.
  for (const part of value.split(/[;,，；](?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const email = EMAIL.exec(part);
    if (!email) continue;
    const name = part
      .replace(email[0], '')
      .replace(/mailto:/i, '')
      .replace(/[<>[\]()"“”]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    out.push({ name: name || null, address: email[0].toLowerCase() });
  }
  return out;
}

function header(name: string, value: string): string {
  return libmime.foldLines(`${name}: ${value}`, 76);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function mailbox(a: ForwardedAddress): string {
  if (!a.name) return `<${a.address}>`;
  const name = PRINTABLE_ASCII.test(a.name) ? `"${a.name.replace(/["\\]/g, '\\$&')}"` : libmime.encodeWord(a.name, 'B');
  return `${name} <${a.address}>`;
}

function unstructured(value: string): string {
  return PRINTABLE_ASCII.test(value) ? value : libmime.encodeWords(value, 'B', 52);
}

/**
 * An RFC 5322 source for an original read out of an inline forward. The same original forwarded again
 * (by anyone, from any client that quotes it alike) yields the same bytes, so it is stored once: the
 * store keys messages by their source's hash. The Message-ID is derived from the content for the same reason.
 */
export function rebuildSource(o: RebuiltOriginal): Buffer {
  const body = o.body
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();
  const key = JSON.stringify([o.from.map((a) => a.address), o.date?.toISOString() ?? null, o.subject ?? '', body]);
  const id = createHash('sha256').update(key).digest('hex').slice(0, 40);
  const lines = [
    o.from.length ? header('From', o.from.map(mailbox).join(', ')) : null,
    o.to.length ? header('To', o.to.map(mailbox).join(', ')) : null,
    o.cc.length ? header('Cc', o.cc.map(mailbox).join(', ')) : null,
    o.subject ? header('Subject', unstructured(o.subject)) : null,
    o.date ? header('Date', o.date.toUTCString().replace('GMT', '+0000')) : null,
    header('Message-ID', `<fwd-${id}@dropbox.tidings.invalid>`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ].filter((l): l is string => l !== null);
  const encoded = (
    Buffer.from(`${body}\n`, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${encoded}\r\n`, 'utf8');
}
