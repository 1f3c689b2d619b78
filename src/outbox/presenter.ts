import { explainFailure, type Locale } from './failure-explanations.ts';
import type { OutboxRow } from './tables.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** An outbox row as the API shows it (outbox-schemas.ts outboxItem); never the raw bytes or the lease. */
export function presentOutbox(row: OutboxRow, locale: Locale) {
  return {
    id: row.id,
    mailboxId: row.mailbox_id,
    from: row.from,
    state: row.state,
    kind: row.kind,
    sourceMessageId: row.source_message_id,
    record: row.record_type && row.record_id ? { type: row.record_type, id: row.record_id } : null,
    templateId: row.template_id,
    messageIdHeader: row.message_id_header,
    to: row.to,
    cc: row.cc,
    bcc: row.bcc,
    subject: row.subject,
    html: row.html_body,
    text: row.text_body,
    attachments: row.attachments,
    sendAt: iso(row.send_at),
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: row.last_error_code
      ? {
          code: row.last_error_code,
          serverResponse: row.last_error,
          ...explainFailure(row.last_error_code, locale),
          at: iso(row.last_error_at ?? row.updated_at)!,
        }
      : null,
    sentAt: iso(row.sent_at),
    sentMessageId: row.sent_message_id,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
