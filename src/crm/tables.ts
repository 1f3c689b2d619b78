import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as T, written as a JSON string. */
type Json<T> = ColumnType<T, string | undefined, string>;
/**
 * numeric and date columns are read through `::text` casts in the repositories (e.g. `selectDeals`), so
 * neither driver turns them into floats or local-midnight Dates; they are written as strings.
 */
type Numeric = ColumnType<string, string | undefined, string>;
type DateOnly = ColumnType<string, string, string>;

export type StageKind = 'open' | 'won' | 'lost';
export type DealStatus = StageKind;
export type ActivityKind = 'note' | 'task' | 'call';
export type CallDirection = 'inbound' | 'outbound';
export type StageName = { en?: string; 'zh-CN'?: string };

export interface Phone {
  label: string | null;
  number: string;
}

export interface PurchaseItem {
  name: string;
  quantity: string;
  unit_price: string;
}

export interface CompaniesTable {
  id: Generated<string>;
  name: string;
  industry: string | null;
  owner_user_id: string;
  notes: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CompanyDomainsTable {
  domain: string;
  company_id: string;
  created_at: Timestamp;
}

export interface ContactsTable {
  id: Generated<string>;
  name: string;
  company_id: string | null;
  title: string | null;
  phones: Json<Phone[]>;
  owner_user_id: string;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  notes: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactEmailsTable {
  id: Generated<string>;
  contact_id: string;
  address: string;
  is_primary: Generated<boolean>;
  /** Mail to this address bounced (a DSN with action failed) at this time; cleared when mail reaches it again. */
  bouncing_at: Date | null;
  bounce_reason: string | null;
  created_at: Timestamp;
}

export interface PipelineStagesTable {
  id: Generated<string>;
  name: Json<StageName>;
  position: number;
  kind: StageKind;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DealsTable {
  id: Generated<string>;
  name: string;
  company_id: string | null;
  amount: Numeric;
  currency: string;
  stage_id: string;
  expected_close_date: DateOnly | null;
  owner_user_id: string;
  status: DealStatus;
  lost_reason: string | null;
  closed_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DealContactsTable {
  deal_id: string;
  contact_id: string;
}

export interface ActivitiesTable {
  id: Generated<string>;
  kind: ActivityKind;
  subject: string | null;
  body: string | null;
  due_at: Date | null;
  reminder_at: Date | null;
  /** When the reminder fired (src/crm/reminders); cleared when reminder_at changes, so it fires again. */
  reminded_at: Date | null;
  /** When the owner took the fired reminder out of their bell. */
  reminder_dismissed_at: Date | null;
  done_at: Date | null;
  call_duration_seconds: number | null;
  call_direction: CallDirection | null;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  owner_user_id: string;
  occurred_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PurchasesTable {
  id: Generated<string>;
  company_id: string | null;
  contact_id: string | null;
  purchased_on: DateOnly;
  items: Json<PurchaseItem[]>;
  amount: Numeric;
  currency: string;
  owner_user_id: string;
  notes: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CrmTables {
  companies: CompaniesTable;
  company_domains: CompanyDomainsTable;
  contacts: ContactsTable;
  contact_emails: ContactEmailsTable;
  pipeline_stages: PipelineStagesTable;
  deals: DealsTable;
  deal_contacts: DealContactsTable;
  activities: ActivitiesTable;
  purchases: PurchasesTable;
}

export type Company = Selectable<CompaniesTable>;
export type Contact = Selectable<ContactsTable>;
export type PipelineStage = Selectable<PipelineStagesTable>;
export type Deal = Selectable<DealsTable>;
export type Activity = Selectable<ActivitiesTable>;
export type Purchase = Selectable<PurchasesTable>;
