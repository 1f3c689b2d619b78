import type { ColumnType, Generated, Selectable } from 'kysely';
import type { FolderRole, RemoteMessageRef } from '../connectors/types.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as T, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

export interface StoredAddress {
  name: string | null;
  address: string;
}

export interface MailFoldersTable {
  id: Generated<string>;
  mailbox_id: string;
  remote_id: string;
  path: string;
  name: string;
  delimiter: string | null;
  role: FolderRole;
  selectable: Generated<boolean>;
  selected: Generated<boolean>;
  cursor: Json<Record<string, unknown> | null> | null;
  generation: string | null;
  total: Generated<number>;
  synced: Generated<number>;
  last_synced_at: Date | null;
  last_error: string | null;
  /** Set when the folder disappeared from the server's listing. */
  removed_at: Date | null;
  /** The oldest internal date this folder's listings covered (1970: everything; null: not listed yet). */
  listed_from: Date | null;
  created_at: Timestamp;
}

export interface ThreadsTable {
  id: Generated<string>;
  mailbox_id: string;
  thread_key: string;
  subject: string | null;
  subject_norm: Generated<string>;
  last_message_at: Date | null;
  created_at: Timestamp;
}

export interface ThreadRefsTable {
  mailbox_id: string;
  message_id: string;
  thread_id: string;
}

export interface MessagesTable {
  id: Generated<string>;
  mailbox_id: string;
  stable_id: string | null;
  gmail_thread_id: string | null;
  message_id_header: string | null;
  in_reply_to: string | null;
  references: ColumnType<string[], string[] | undefined, string[]>;
  subject: string | null;
  /** What the message sorts and shows by: the Date header, or received_at when the header is implausible (ingest/plausible-date.ts). */
  date: Date | null;
  /** The Date header as the sender's client wrote it (null: none). */
  header_date: Date | null;
  /** When the server received it (IMAP INTERNALDATE, Graph receivedDateTime, EWS DateTimeReceived); null: unknown. */
  received_at: Date | null;
  from: Json<StoredAddress[]>;
  to: Json<StoredAddress[]>;
  cc: Json<StoredAddress[]>;
  bcc: Json<StoredAddress[]>;
  reply_to: Json<StoredAddress[]>;
  participants: ColumnType<string[], string[] | undefined, string[]>;
  seen: Generated<boolean>;
  flagged: Generated<boolean>;
  answered: Generated<boolean>;
  draft: Generated<boolean>;
  size: Generated<number>;
  snippet: Generated<string>;
  text_body: string | null;
  html_body: string | null;
  has_attachments: Generated<boolean>;
  raw_sha256: string;
  parse_error: string | null;
  /** html_body is ready for display-html.ts's cheap pass (sanitized and prepared at ingest). */
  html_prepared: Generated<boolean>;
  /** The HTML body was over the display cap: not kept, the text is. */
  html_too_big: Generated<boolean>;
  /** The source was over the size cap: only its headers were fetched. */
  too_large: Generated<boolean>;
  thread_id: string | null;
  /** Gmail labels (user labels and \\Important), kept in step by sync; [] elsewhere. */
  labels: ColumnType<string[], string[] | undefined, string[]>;
  list_id: string | null;
  list_unsubscribe: string | null;
  precedence: string | null;
  auto_submitted: string | null;
  /** Sent from Tidings (outbox row): stored at once, before any folder lists it; the synced Sent copy merges into it. */
  outbox_id: string | null;
  /** Logged through a drop box (src/dropbox/): the user who forwarded or BCC'd it there. */
  logged_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MessageFoldersTable {
  message_id: string;
  folder_id: string;
  uid_validity: string;
  remote_id: string;
  created_at: Timestamp;
}

export interface AttachmentsTable {
  id: Generated<string>;
  message_id: string;
  position: number;
  filename: string | null;
  content_type: string;
  size: number;
  content_id: string | null;
  inline: Generated<boolean>;
  sha256: string;
}

export interface SyncLeasesTable {
  mailbox_id: string;
  holder: string;
  acquired_at: Timestamp;
  expires_at: Date;
}

/** Where each blob's bytes are (src/ingest/blob-pack.ts): one row per content key. */
export interface BlobLocationsTable {
  sha256: string;
  pack: string;
  /** bigint in the database; read back as a string by pg, a number by PGlite. */
  offset: ColumnType<string | number, number, number>;
  length: ColumnType<string | number, number, number>;
  created_at: Generated<Date>;
}

/** A pack compaction rewrote: its file is deleted a day later (src/store/pack-compaction.ts). */
export interface BlobPacksRetiredTable {
  pack: string;
  retired_at: ColumnType<Date, Date | undefined, never>;
}

/** A blob in the object store (src/ingest/s3-blob-store.ts): one row per object. */
export interface BlobObjectsTable {
  sha256: string;
  length: ColumnType<string | number, number, never>;
  /** Last upload or reuse: the sweep of unnamed blobs leaves recent ones alone (src/store/object-sweep.ts). */
  touched_at: Generated<Date>;
}

/** A listed message the server would not return, waiting for its next try (src/store/fetch-retries.ts). */
export interface FetchRetriesTable {
  folder_id: string;
  generation: string;
  remote_id: string;
  mailbox_id: string;
  ref: Json<RemoteMessageRef>;
  tries: Generated<number>;
  first_failed_at: Generated<Date>;
  next_try_at: Date;
}

/** One label key of one message, with its mailbox and date: the label filter's order (kept by triggers, never written). */
export interface MessageLabelKeysTable {
  label_key: string;
  message_id: string;
  mailbox_id: string;
  date: Date | null;
}

export interface StoreTables {
  mail_folders: MailFoldersTable;
  threads: ThreadsTable;
  thread_refs: ThreadRefsTable;
  messages: MessagesTable;
  message_folders: MessageFoldersTable;
  attachments: AttachmentsTable;
  sync_leases: SyncLeasesTable;
  blob_locations: BlobLocationsTable;
  blob_packs_retired: BlobPacksRetiredTable;
  blob_objects: BlobObjectsTable;
  mail_fetch_retries: FetchRetriesTable;
  message_label_keys: MessageLabelKeysTable;
}

export type FolderRow = Selectable<MailFoldersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type AttachmentRow = Selectable<AttachmentsTable>;
