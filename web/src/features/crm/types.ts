/** Shapes of the CRM API as the web app reads them (see the presenters under src/crm). */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Person {
  id: string;
  name: string;
}

export interface ContactEmail {
  id: string;
  address: string;
  isPrimary: boolean;
}

export interface Phone {
  label: string | null;
  number: string;
}

export interface Contact {
  id: string;
  name: string;
  emails: ContactEmail[];
  company: { id: string; name: string } | null;
  title: string | null;
  phones: Phone[];
  ownerId: string;
  tags: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Company {
  id: string;
  name: string;
  domains: string[];
  industry: string | null;
  ownerId: string;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export type StageKind = 'open' | 'won' | 'lost';
export type StageName = { en?: string; 'zh-CN'?: string };

export interface Stage {
  id: string;
  name: StageName;
  position: number;
  kind: StageKind;
}

export interface Deal {
  id: string;
  name: string;
  companyId: string | null;
  contactIds: string[];
  amount: string;
  currency: string;
  stageId: string;
  status: StageKind;
  lostReason: string | null;
  expectedCloseDate: string | null;
  closedAt: string | null;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

export type ActivityKind = 'note' | 'task' | 'call';

export interface Activity {
  id: string;
  kind: ActivityKind;
  subject: string | null;
  body: string | null;
  dueAt: string | null;
  reminderAt: string | null;
  doneAt: string | null;
  callDurationSeconds: number | null;
  callDirection: 'inbound' | 'outbound' | null;
  contactId: string | null;
  companyId: string | null;
  dealId: string | null;
  ownerId: string;
  occurredAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface PurchaseItem {
  name: string;
  quantity: string;
  unitPrice: string;
}

export interface Purchase {
  id: string;
  companyId: string | null;
  contactId: string | null;
  purchasedOn: string;
  items: PurchaseItem[];
  amount: string;
  currency: string;
  ownerId: string;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ImportRowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

/** What a CSV import answers, whatever it imports; `R` is one previewed row. */
export interface ImportResultOf<R> {
  preview: Array<R & { row: number; action: 'create' | 'update' | 'error' }>;
  errors: ImportRowError[];
  created: number;
  updated: number;
  ignoredColumns: string[];
  encoding: string;
  imported: boolean;
}

export interface ContactImportRow {
  name: string;
  emails: string[];
  phones: string[];
  company: string | null;
  title: string | null;
  tags: string[];
}

export interface ImportResult extends ImportResultOf<ContactImportRow> {
  companiesCreated: number;
}

export interface CompanyImportRow {
  name: string;
  domains: string[];
  industry: string | null;
  /** The owner's email as the file gave it. */
  owner: string | null;
  notes: string | null;
}

export type CompanyImportResult = ImportResultOf<CompanyImportRow>;

/** A message as the timeline shows it, cut to the viewer's access (no subject for metadata-only mailboxes). */
export interface MailSummary {
  id: string;
  mailboxId: string;
  threadId: string | null;
  access: 'full' | 'subject' | 'metadata';
  date: string | null;
  from: Array<{ name: string | null; address: string }>;
  to: Array<{ name: string | null; address: string }>;
  subject: string | null;
  snippet: string | null;
  hasAttachments: boolean | null;
}

/** One entry of a record's timeline (src/timeline/timeline.ts). */
export type TimelineItem =
  | { kind: 'email'; at: string; id: string; email: MailSummary }
  | { kind: 'note' | 'task' | 'call'; at: string; id: string; activity: Activity }
  | { kind: 'deal'; at: string; id: string; deal: Deal }
  | { kind: 'purchase'; at: string; id: string; purchase: Purchase };

export interface CustomerMail {
  kind: 'company' | 'contact';
  id: string;
  name: string;
  sent: number;
  received: number;
}

export interface Dashboard {
  scope: 'me' | 'team';
  hours: number;
  generatedAt: string;
  mailWindowDays: number;
  mailByCompany: CustomerMail[];
  mailByContact: CustomerMail[];
  unanswered: {
    total: number;
    items: Array<{
      id: string; mailboxId: string; mailboxEmail: string; from: { name: string | null; address: string } | null;
      subject: string | null; date: string; contact: { id: string; name: string } | null;
    }>;
  };
  dealsByStage: Array<{ stageId: string; name: StageName; kind: StageKind; count: number; amounts: Array<{ currency: string; amount: string }> }>;
}
