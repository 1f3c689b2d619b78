import type { ColumnType, Generated, Selectable } from 'kysely';

/** jsonb: read as T, written as a JSON string. */
type Json<T> = ColumnType<T, string | undefined, string>;

/** mailbox_attention: a mailbox started needing its owner; mailbox_recovered: it works again. */
export type NotificationKind = 'mailbox_attention' | 'mailbox_recovered';

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: NotificationKind;
  mailbox_id: string | null;
  /** The failure code (the probe's and sync's one catalogue), explained in the reader's language when shown. */
  code: string | null;
  params: Json<Record<string, string | number>>;
  read_at: Date | null;
  created_at: Generated<Date>;
}

/** The attention code last announced for a mailbox (null: none); the one row a change is decided on. */
export interface MailboxAttentionTable {
  mailbox_id: string;
  code: string | null;
  changed_at: Generated<Date>;
}

export interface NotificationsTables {
  notifications: NotificationsTable;
  mailbox_attention: MailboxAttentionTable;
}

export type NotificationRow = Selectable<NotificationsTable>;
