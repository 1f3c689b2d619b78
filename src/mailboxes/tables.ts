import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Security = 'tls' | 'starttls' | 'plain';
export type Visibility = 'private' | 'share_all' | 'subject_only' | 'metadata_only';
export type MailboxStatus = 'untested' | 'active' | 'paused' | 'needs_attention';
export type SecretKind = 'password' | 'app_password' | 'authorization_code' | 'oauth2';
export type Backfill = '30d' | '90d' | '1y' | 'all';
export type ContactCreation = 'off' | 'sent' | 'all';
/** The connector that reads the mailbox. */
export type MailProtocol = 'imap' | 'graph' | 'ews';

export interface MailboxesTable {
  id: Generated<string>;
  owner_user_id: string;
  created_by: string | null;
  email: string;
  display_name: string | null;
  provider_id: string; // catalogue id, or 'custom'
  protocol: Generated<MailProtocol>;
  /**
   * Graph: the versioned base URL (https://graph.microsoft.com/v1.0); EWS: the endpoint
   * (https://mail.example.com/EWS/Exchange.asmx); null for IMAP. For Graph and EWS the imap_* server
   * columns describe this URL's HTTPS server (host, 443, tls, pinned certificate).
   */
  api_url: string | null;
  imap_host: string;
  imap_port: number;
  imap_security: Security;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_security: Security | null;
  username: string;
  auth_kind: SecretKind;
  secret_id: string | null;
  /** Plaintext (no TLS) was explicitly allowed by an admin for this mailbox. */
  allow_plaintext: Generated<boolean>;
  /** SHA-256 fingerprints ("AB:CD:…") of certificates an admin chose to trust for this mailbox. */
  imap_pinned_cert: string | null;
  smtp_pinned_cert: string | null;
  visibility: Generated<Visibility>;
  status: Generated<MailboxStatus>;
  status_reason: string | null;
  /** Why it needs attention, as a failure code of the one catalogue (src/mailboxes/probe); null otherwise. */
  status_code: string | null;
  sync_mode: Generated<'realtime' | 'interval'>;
  sync_interval_minutes: Generated<number>;
  backfill: Generated<Backfill>;
  /** The oldest internal date synced (null: everything): fixed at binding, moved back when widened. */
  backfill_from: Date | null;
  /** Folder ids (IMAP paths) chosen for sync; null = the defaults (Inbox and Sent). */
  sync_folders: Json<string[] | null> | null;
  contact_creation: Generated<ContactCreation>;
  /** Mail forwarded or BCC'd here by users is logged as the original, attributed to them (src/dropbox/). */
  drop_box: Generated<boolean>;
  /** Added below messages sent from this mailbox (sanitized HTML); null: none. */
  signature_html: string | null;
  last_test_at: Date | null;
  last_test_ok: boolean | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MailboxesTables {
  mailboxes: MailboxesTable;
}

export type MailboxRow = Selectable<MailboxesTable>;
