import type { RequestOf, ResponseOf } from '../../api/schema-types.ts';

/**
 * Shapes of the compose, outbox and template routes (src/api/routes/outbox-schemas.ts): from the generated
 * OpenAPI types where the route is registered; the others written out until theirs are.
 */

export interface Address {
  name: string | null;
  address: string;
}

export type ComposeKind = 'new' | 'reply' | 'reply_all' | 'forward';
export type RecordType = 'contact' | 'company' | 'deal';
export type OutboxState = 'draft' | 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

export type ComposeInput = RequestOf<'/api/v1/outbox', 'post'>;
export type AttachmentRef = NonNullable<ComposeInput['attachments']>[number];

export type OutboxItem = ResponseOf<'/api/v1/outbox/{id}', 'get'>;
export type OutboxAttachment = OutboxItem['attachments'][number];
export type OutboxPage = ResponseOf<'/api/v1/outbox', 'get'>;
export type Upload = ResponseOf<'/api/v1/outbox/uploads', 'post'>;

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
