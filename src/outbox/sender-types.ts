/**
 * The sender interface: how the outbox hands one message to a mail server (SMTP, Microsoft Graph, EWS).
 * Like the connector interface it knows nothing of rows: the outbox worker owns phases and retries.
 */

export interface Submission {
  /** SMTP envelope: the mailbox's address. */
  from: string;
  /** Every recipient (to, cc and bcc), plain addresses. */
  recipients: string[];
  /** The whole MIME source, Bcc header excluded; sent as it is. */
  raw: Buffer;
  /** "<…@…>", the header's value. */
  messageIdHeader: string;
}

export interface SubmitHooks {
  /** Signed in, nothing handed over yet. */
  connected(): Promise<void>;
  /**
   * Everything is with the server but the final go (SMTP: the body is written and only the closing dot
   * remains; Graph and EWS: the one request is about to go). The worker commits phase 'transmitted' here
   * (and, for a sender that does not save to Sent itself, puts the Sent copy in place first), so a crash
   * after this point is resolved by looking in Sent. Throwing here aborts the attempt before the go.
   */
  beforeFinalGo(): Promise<void>;
}

export interface SubmitResult {
  /** The server's final answer ("250 2.0.0 Ok: queued as 4D2…", Graph's 202). */
  response: string;
  /** Recipients the server refused while it took the message for the others (SMTP RCPT 5xx). */
  rejected: Array<{ address: string; response: string }>;
}

export interface MailSender {
  /**
   * The server itself keeps a copy in Sent (Graph sendMail with saveToSentItems, EWS SendAndSaveCopy,
   * Gmail's and Microsoft 365's SMTP): the outbox does not append one.
   */
  readonly savesSentCopy: boolean;
  /** Throws SendError (outbox/errors.ts) on failure. */
  submit(submission: Submission, hooks: SubmitHooks): Promise<SubmitResult>;
  close(): Promise<void>;
}
