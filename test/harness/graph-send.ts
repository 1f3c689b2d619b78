// sendMail of the Graph harness (graph-server.ts): the MIME form (base64 source, text/plain) as Microsoft's
// "Send Outlook messages in MIME format" documents it. The sender's copy goes to Sent Items with the
// source's Message-ID; recipients that are harness mailboxes get it in their Inbox, Bcc removed.
import { graphError, type GraphAnswer } from './graph-answers.ts';
import type { GraphMailbox } from './graph-store.ts';
import { recipientsOf, withoutBcc } from './sent-mime.ts';

/** One message the harness took through sendMail. */
export interface GraphSentMessage {
  from: string;
  /** The bytes decoded from the request, exactly. */
  raw: Buffer;
  /** To, Cc and Bcc of the source, lowercased. */
  recipients: string[];
  /** Its immutable id in the sender's Sent Items. */
  sentItemId: string;
  at: number;
}

/** What the next sendMail answers instead of taking the message; `drop`: takes it, then cuts the connection unanswered. */
export type GraphSendFailure = { status: number; code: string; message: string; retryAfterSeconds?: number } | { drop: true };

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

/** Decodes and checks the request body; the message, or Graph's 400. */
export function readMimeBody(body: unknown): Buffer | GraphAnswer {
  if (typeof body !== 'string' || !body.trim() || !BASE64.test(body)) {
    return graphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
  }
  const raw = Buffer.from(body, 'base64');
  if (raw.indexOf('\r\n\r\n') < 0 && raw.indexOf('\n\n') < 0) {
    return graphError(400, 'ErrorMimeContentInvalid', 'The MIME content is missing or invalid.');
  }
  return raw;
}

/** Takes a message: Sent Items copy, delivery to harness mailboxes, a `sent` record. */
export function takeMessage(from: GraphMailbox, raw: Buffer, mailboxes: Map<string, GraphMailbox>, sent: GraphSentMessage[]): GraphAnswer {
  const recipients = recipientsOf(raw);
  if (recipients.length === 0) {
    return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is missing.');
  }
  const copy = from.deliver('sentitems', raw, { isRead: true });
  sent.push({ from: from.address, raw, recipients, sentItemId: copy.immutableId, at: Date.now() });
  const delivered = withoutBcc(raw);
  for (const r of recipients) mailboxes.get(r)?.deliver('inbox', delivered);
  return { status: 202 };
}
