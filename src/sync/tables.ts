import type { ColumnType, Generated, Selectable } from 'kysely';

/** jsonb: read as T, written as a JSON string. */
type Json<T> = ColumnType<T, string | undefined, string>;

/** A sync failure as it happened: its code and parameters; the words are the catalogue's, in the reader's language. */
export interface MailboxSyncErrorsTable {
  id: Generated<string>;
  mailbox_id: string;
  code: string;
  params: Json<Record<string, string | number>>;
  folder_name: string | null;
  at: Generated<Date>;
}

/** A sync process alive until `expires_at` (it renews its row with its leases). */
export interface SyncProcessesTable {
  holder: string;
  started_at: Generated<Date>;
  expires_at: Date;
}

export interface SyncTables {
  mailbox_sync_errors: MailboxSyncErrorsTable;
  sync_processes: SyncProcessesTable;
}

export type SyncErrorRow = Selectable<MailboxSyncErrorsTable>;
