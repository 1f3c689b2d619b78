import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type LinkRole = 'from' | 'to' | 'cc' | 'bcc';

/** One participant of one message matched to a contact or (by domain) to a company: exactly one is set. */
export interface MessageLinksTable {
  message_id: string;
  contact_id: string | null;
  company_id: string | null;
  role: LinkRole;
  created_at: Timestamp;
  /** The message's timeline instant, coalesce(date, created_at): set and kept by triggers, never written. */
  message_at: ColumnType<Date, never, never>;
  /** The message's mailbox, kept beside message_at for the timeline's visibility check. */
  mailbox_id: ColumnType<string, never, never>;
}

export interface DealThreadsTable {
  deal_id: string;
  thread_id: string;
  /** Linked by the linker (one open deal for the company) rather than by a person. */
  automatic: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface LinkingTables {
  message_links: MessageLinksTable;
  deal_threads: DealThreadsTable;
}
