import type { ItemOf, RequestOf, ResponseOf } from '../../api/schema-types.ts';

/** Shapes of the compose, outbox and template routes (src/api/routes/outbox-schemas.ts), named from the generated OpenAPI types. */

export type ComposeInput = RequestOf<'/api/v1/outbox', 'post'>;
export type AttachmentRef = NonNullable<ComposeInput['attachments']>[number];

export type OutboxItem = ResponseOf<'/api/v1/outbox/{id}', 'get'>;
export type OutboxAttachment = OutboxItem['attachments'][number];
export type OutboxPage = ResponseOf<'/api/v1/outbox', 'get'>;
export type Address = OutboxItem['from'];
export type ComposeKind = OutboxItem['kind'];
export type OutboxState = OutboxItem['state'];
export type RecordType = NonNullable<OutboxItem['record']>['type'];
export type Upload = ResponseOf<'/api/v1/outbox/uploads', 'post'>;

export type ComposeDraft = ResponseOf<'/api/v1/messages/{id}/compose', 'get'>;

export type SenderMailbox = ItemOf<'/api/v1/compose/senders'>;

export type RecipientSuggestion = ItemOf<'/api/v1/compose/recipients'>;

export type Template = ResponseOf<'/api/v1/templates/{id}', 'get'>;
export type TemplateLanguage = Template['language'];
export type TemplateInput = RequestOf<'/api/v1/templates', 'post'>;
export type RenderedTemplate = ResponseOf<'/api/v1/templates/{id}/render', 'post'>;

/** Ids of the records a template's merge fields are filled from. */
export type MergeContext = RequestOf<'/api/v1/templates/{id}/render', 'post'>;

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
