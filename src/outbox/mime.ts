import MailComposer from 'nodemailer/lib/mail-composer';
import type { StoredAddress } from '../store/tables.ts';
import type { OutboxAttachment } from './tables.ts';

/** Everything the MIME of one message is built from; the bytes of each attachment come from the blob store. */
export interface MimeInput {
  from: StoredAddress;
  to: StoredAddress[];
  cc: StoredAddress[];
  subject: string;
  date: Date;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  html: string;
  text: string;
  attachments: Array<OutboxAttachment & { content: Buffer }>;
}

const asHeader = (a: StoredAddress) => ({ name: a.name ?? '', address: a.address });

/**
 * The message as sent (RFC 5322 bytes): multipart/alternative text and HTML, attachments after it. Bcc
 * is not given to the composer at all: the envelope carries those recipients, the headers never.
 * Addresses and the subject are checked (headers.ts) before they come here; MailComposer encodes
 * non-ASCII names and subjects as RFC 2047 words.
 */
export async function buildMime(input: MimeInput): Promise<Buffer> {
  const composer = new MailComposer({
    from: asHeader(input.from),
    to: input.to.map(asHeader),
    cc: input.cc.map(asHeader),
    subject: input.subject,
    date: input.date,
    messageId: input.messageId,
    ...(input.inReplyTo && { inReplyTo: input.inReplyTo }),
    ...(input.references.length && { references: input.references }),
    text: input.text,
    html: input.html,
    attachments: input.attachments.map((a) => ({
      content: a.content,
      filename: a.filename,
      contentType: a.contentType,
      contentDisposition: 'attachment',
    })),
    // Nothing in a message may make the composer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
