import { addressHeader, readRawHeaders } from '../ingest/headers.ts';
import { SendError } from './errors.ts';

/** One plain address: nothing that could end a header or start another address. */
const PLAIN_ADDRESS = /^[^\s<>(),;:"\\@]+@[^\s<>(),;:"\\@]+$/;

/**
 * The source with a `Bcc:` header naming the recipients its To and Cc do not: Graph's sendMail and EWS
 * CreateItem take the recipients from the MIME headers (there is no envelope), while the outbox keeps
 * Bcc out of the source. Exchange removes the header from what recipients get and keeps it on the Sent
 * Items copy, as Outlook does. The source comes back as it is when everyone is named.
 */
export function withBccHeader(raw: Buffer, recipients: string[]): Buffer {
  const headers = readRawHeaders(raw);
  const named = new Set(['to', 'cc', 'bcc'].flatMap((h) => addressHeader(headers, h).map((a) => a.address.toLowerCase())));
  const hidden = [...new Set(recipients.map((r) => r.trim().toLowerCase()))].filter((r) => !named.has(r));
  if (hidden.length === 0) return raw;
  const bad = hidden.find((r) => !PLAIN_ADDRESS.test(r));
  if (bad !== undefined) {
    throw new SendError('send_rejected', 'A Bcc recipient is not one plain address.', { temporary: false });
  }
  // One address per line keeps every line far below RFC 5322's 998 characters.
  return Buffer.concat([Buffer.from(`Bcc: ${hidden.join(',\r\n ')}\r\n`, 'latin1'), raw]);
}
