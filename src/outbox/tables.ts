import type { ColumnType, Generated, Selectable } from 'kysely';
import type { StoredAddress } from '../store/tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as T, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

/**
 * draft: being written (saved as typed); queued: waiting for send_at (undo window, schedule) or a retry;
 * sending: a sender holds the lease; sent / failed / cancelled are final (failed can be queued again).
 */
export type OutboxState = 'draft' | 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

/**
 * How far the current attempt got; the sender commits each before the step that follows it.
 * connecting: nothing reached the server; connected: signed in, nothing handed over;
 * transmitted: the whole message is with the server and only the final go (SMTP's closing dot, Graph's
 * or EWS's one request) remains, so an attempt that dies from here on ended unclearly and is resolved by
 * looking for the Message-ID in Sent; accepted: the server took it; saved: the Sent copy is there.
 */
export type SendPhase = 'connecting' | 'connected' | 'transmitted' | 'accepted' | 'saved';

export type ComposeKind = 'new' | 'reply' | 'reply_all' | 'forward';
export type RecordType = 'contact' | 'company' | 'deal';

/** A file sent with the message: its bytes are a blob (content-addressed, SHA-256). */
export interface OutboxAttachment {
  sha256: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface OutboxMessagesTable {
  id: Generated<string>;
  mailbox_id: string;
  created_by: string;
  state: Generated<OutboxState>;
  phase: SendPhase | null;
  kind: Generated<ComposeKind>;
  /** The message replied to or forwarded. */
  source_message_id: string | null;
  /** The CRM record the message was written from. */
  record_type: RecordType | null;
  record_id: string | null;
  template_id: string | null;
  /** "<…@…>" as it goes in the header; minted once when the row is made, never changed. */
  message_id_header: string;
  in_reply_to: string | null;
  references: ColumnType<string[], string[] | undefined, string[]>;
  from: Json<StoredAddress>;
  to: Json<StoredAddress[]>;
  cc: Json<StoredAddress[]>;
  bcc: Json<StoredAddress[]>;
  subject: Generated<string>;
  html_body: Generated<string>;
  text_body: Generated<string>;
  attachments: Json<OutboxAttachment[]>;
  /** The MIME source, built once when queued (a blob): what is sent, saved to Sent and stored is these bytes. */
  raw_sha256: string | null;
  raw_size: number | null;
  /** Not before: the undo window's end, or the scheduled time. */
  send_at: Date | null;
  attempts: Generated<number>;
  /** After a temporary failure: the next try (backoff). */
  next_attempt_at: Date | null;
  lease_holder: string | null;
  lease_expires_at: Date | null;
  /** The last failure's stable code (outbox/errors.ts SendFailureCode) and the server's own answer. */
  last_error_code: string | null;
  last_error: string | null;
  last_error_at: Date | null;
  sent_at: Date | null;
  /** The messages row stored for it once sent (it merges with the synced Sent copy). */
  sent_message_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OutboxUploadsTable {
  id: Generated<string>;
  user_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: Timestamp;
}

export interface MessageTemplatesTable {
  id: Generated<string>;
  /** null: shared with everyone (admins write those); else personal to this user. */
  owner_user_id: string | null;
  created_by: string | null;
  name: string;
  language: Generated<'en' | 'zh-CN'>;
  subject: Generated<string>;
  html_body: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Users the owner allows to send from a mailbox (the owner always may). */
export interface MailboxSendersTable {
  mailbox_id: string;
  user_id: string;
  granted_by: string | null;
  created_at: Timestamp;
}

/** One recipient's line of a delivery status notification (RFC 3464), linked to the message it is about. */
export interface MessageBouncesTable {
  id: Generated<string>;
  /** The DSN itself (a stored message). */
  report_message_id: string;
  /** The message that bounced, when found in the same mailbox. */
  original_message_id: string | null;
  outbox_id: string | null;
  original_message_id_header: string | null;
  recipient: string;
  /** failed | delayed | delivered | relayed | expanded */
  action: string;
  /** Enhanced status code, "5.1.1". */
  status: string | null;
  /** The remote server's answer ("smtp; 550 5.1.1 User unknown"). */
  diagnostic: string | null;
  reported_at: Date | null;
  created_at: Timestamp;
}

export interface OutboxTables {
  outbox_messages: OutboxMessagesTable;
  outbox_uploads: OutboxUploadsTable;
  message_templates: MessageTemplatesTable;
  mailbox_senders: MailboxSendersTable;
  message_bounces: MessageBouncesTable;
}

export type OutboxRow = Selectable<OutboxMessagesTable>;
export type TemplateRow = Selectable<MessageTemplatesTable>;
export type BounceRow = Selectable<MessageBouncesTable>;
