import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/**
 * One message's analytics facts, computed once by triggers (migration 2026-12-11-050) from the message,
 * its thread, folders and links. Read-only for the application.
 */
export interface MailFactsTable {
  message_id: string;
  mailbox_id: string;
  date: Timestamp;
  /** From the mailbox's own address. */
  outbound: boolean;
  /** Counted mail: not a draft, not in Junk or Trash. */
  counted: boolean;
  /** Linked contacts and companies (not through a Bcc recipient), each once. */
  contact_ids: string[];
  company_ids: string[];
  /** Opens a conversation: the first inbound message of its thread, from a person, counted. */
  conversation: boolean;
  /** For a conversation: time until the first reply from the mailbox, null while unanswered. */
  wait: string | null;
  /** Still waiting for a reply (the dashboard's unanswered rule). */
  awaiting: boolean;
}

export type RollupMetric = 'mail' | 'contact' | 'company' | 'conversation' | 'awaiting';
export type RollupGrain = 'hour' | 'day' | 'month';

/** How many messages of one mailbox had a fact in one UTC hour, day or month. */
export interface MailRollupsTable {
  metric: RollupMetric;
  grain: RollupGrain;
  at: Timestamp;
  mailbox_id: string;
  outbound: boolean;
  /** The contact or company, for those metrics. */
  key: string | null;
  /** The conversation's time to first reply, for that metric. */
  wait: string | null;
  n: number;
}

export interface AnalyticsTables {
  mail_facts: MailFactsTable;
  mail_rollups: MailRollupsTable;
}
