import { DomainError } from '../kernel/index.ts';

/** What a compose or outbox request can be refused for (api/error-statuses.ts maps each to a status). */
export type OutboxErrorCode =
  /** The user may not send from this mailbox (not its owner, not allowed by the owner). */
  | 'send_not_allowed'
  /** The mailbox cannot send: no SMTP server bound, or paused / needs attention. */
  | 'mailbox_cannot_send'
  /** An address that is not one plain address, or a header value with a line break. */
  | 'invalid_address'
  | 'no_recipients'
  /** Over the provider's size limit (details: limitBytes, sizeBytes). */
  | 'message_too_large'
  /** The provider's daily quota would be passed (details: limit, sentToday); Retry-After set. */
  | 'send_quota_reached'
  /** Merge fields the record cannot fill remain in the subject or body (details: fields). */
  | 'merge_fields_unresolved'
  /** The outbox row is not in a state that allows this (undo after it left, edit while sending...). */
  | 'outbox_state_conflict'
  | 'send_at_in_past'
  | 'upload_too_large'
  | 'template_not_editable';

export class OutboxError extends DomainError<OutboxErrorCode> {}

/**
 * Why an attempt to send failed, stored on the outbox row (last_error_code) with the server's own answer
 * (last_error). Temporary ones are retried with backoff; permanent ones end the row as failed.
 */
export type SendFailureCode =
  /** 4xx, a dropped connection, a timeout, a busy server: tried again later. */
  | 'send_temporary'
  /** 5xx for the message or every recipient: the server will not take it as it is. */
  | 'send_rejected'
  /** Some recipients refused (5xx on RCPT) while others took it: sent to those, the rest shown. */
  | 'recipients_rejected'
  /** Sign-in refused: password changed, authorization code revoked, OAuth sign-in revoked. */
  | 'send_auth_failed'
  /** TLS failed or the certificate changed (pinning). */
  | 'send_tls_failed'
  /** The server sent "message too big" (552 / 5.3.4). */
  | 'send_too_large'
  /** Provider-side sending limit hit (Gmail 550 5.4.5, 163 "554 DT:SPM"...). */
  | 'send_quota_exceeded'
  /** Retries ran out (temporary failures for longer than the outbox keeps trying). */
  | 'send_gave_up'
  /** An unclear end could not be resolved: the Sent folder could not be read to check. */
  | 'send_outcome_unknown';

/** Thrown by a MailSender; the outbox worker decides retry or failure from `code` and `temporary`. */
export class SendError extends DomainError<SendFailureCode> {
  readonly temporary: boolean;
  /** The server's reply as it came ("550 5.1.1 <x@y>: Recipient address rejected"), never our secrets. */
  readonly serverResponse: string | null;
  /** For recipients_rejected: the refused addresses with their answers. */
  readonly rejected: Array<{ address: string; response: string }>;
  /** How long the server asked us to wait before the next try (Graph Retry-After, EWS BackOffMilliseconds). */
  readonly retryAfterMs: number | null;

  constructor(
    code: SendFailureCode,
    message: string,
    opts: {
      temporary: boolean;
      serverResponse?: string | null;
      rejected?: Array<{ address: string; response: string }>;
      retryAfterMs?: number | null;
      cause?: unknown;
    },
  ) {
    super(code, message, { cause: opts.cause });
    this.temporary = opts.temporary;
    this.serverResponse = opts.serverResponse ?? null;
    this.rejected = opts.rejected ?? [];
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}
