/**
 * Shapes of the compose, outbox and template routes (src/api/routes/outbox-schemas.ts). Written out here
 * until the routes are registered and the generated OpenAPI types hold them.
 */

export interface Address {
  name: string | null;
  address: string;
}

export type ComposeKind = 'new' | 'reply' | 'reply_all' | 'forward';
export type RecordType = 'contact' | 'company' | 'deal';
export type OutboxState = 'draft' | 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

export type AttachmentRef = { uploadId: string } | { attachmentId: string };

export interface ComposeInput {
  mailboxId: string;
  kind?: ComposeKind;
  sourceMessageId?: string | null;
  record?: { type: RecordType; id: string } | null;
  templateId?: string | null;
  to?: Array<{ name?: string | null; address: string }>;
  cc?: Array<{ name?: string | null; address: string }>;
  bcc?: Array<{ name?: string | null; address: string }>;
  subject?: string;
  html?: string;
  attachments?: AttachmentRef[];
  send?: boolean;
  sendAt?: string | null;
  undoSeconds?: number;
}

export interface OutboxAttachment {
  sha256: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface OutboxItem {
  id: string;
  mailboxId: string;
  from: Address;
  state: OutboxState;
  kind: ComposeKind;
  sourceMessageId: string | null;
  record: { type: RecordType; id: string } | null;
  templateId: string | null;
  messageIdHeader: string;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  html: string;
  text: string;
  attachments: OutboxAttachment[];
  sendAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: { code: string; serverResponse: string | null; explanation: string; fix: string; at: string } | null;
  sentAt: string | null;
  sentMessageId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxPage {
  items: OutboxItem[];
  nextCursor: string | null;
}

export interface Upload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface ComposeDraft {
  mailboxId: string;
  kind: ComposeKind;
  sourceMessageId: string;
  to: Address[];
  cc: Address[];
  subject: string;
  html: string;
  attachments: Array<{ attachmentId: string; filename: string | null; contentType: string; size: number }>;
}

export interface SenderMailbox {
  id: string;
  email: string;
  displayName: string | null;
  signatureHtml: string | null;
  canSend: boolean;
  reason: string | null;
  limits: { maxMessageBytes: number | null; perDay: number | null; sentToday: number };
}

export interface RecipientSuggestion {
  name: string | null;
  address: string;
  contactId: string | null;
  companyName: string | null;
  bouncing: boolean;
}

export type TemplateLanguage = 'en' | 'zh-CN';

export interface TemplateInput {
  name: string;
  language: TemplateLanguage;
  subject: string;
  html: string;
  shared: boolean;
}

export interface Template extends TemplateInput {
  id: string;
  editable: boolean;
  fields: string[];
  updatedAt: string;
}

export interface RenderedTemplate {
  subject: string;
  html: string;
  missing: string[];
}

/** Ids of the records a template's merge fields are filled from. */
export interface MergeContext {
  contactId?: string | null;
  companyId?: string | null;
  dealId?: string | null;
}

/** The merge fields templates may use (MERGE_FIELDS in outbox-schemas.ts). */
export const MERGE_FIELDS = [
  'contact.firstName',
  'contact.lastName',
  'contact.name',
  'contact.email',
  'contact.title',
  'company.name',
  'company.domain',
  'deal.name',
  'deal.amount',
  'me.name',
  'me.email',
] as const;
