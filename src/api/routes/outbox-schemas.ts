import { z } from 'zod';
import { pageOf } from '../query-schemas.ts';
import { timestampSchema } from '../schemas.ts';
import { mailboxSchema } from './mailbox-response-schemas.ts';

/**
 * The compose and outbox API (issue 17): request and response schemas, written before the routes so the
 * server and the web app build against one description. Routes:
 *
 * - POST   /api/outbox                    composeInput → outboxItem (201). `send: false` saves a draft;
 *                                         `send: true` queues it (send_at = now + undo seconds, or sendAt).
 * - GET    /api/outbox?state=&cursor=     page of outboxItem (the caller's own; drafts, queued, failed, sent)
 * - GET    /api/outbox/:id                outboxItem
 * - PATCH  /api/outbox/:id                composeInput (partial) → outboxItem; drafts only (autosave)
 * - POST   /api/outbox/:id/send           { sendAt?, undoSeconds? } → outboxItem: a draft or a failed row queued
 * - POST   /api/outbox/:id/undo           → outboxItem back to draft, while queued and not yet due/taken
 * - DELETE /api/outbox/:id                a draft, failed or queued row is removed (cancelled) → 204
 * - POST   /api/outbox/uploads            raw body (Content-Type: the file's; X-Filename: percent-encoded
 *                                         name) → upload (201); the id goes in composeInput.attachments
 * - GET    /api/messages/:id/compose?mode=reply|reply_all|forward  → composeDraft (prefilled, not saved)
 * - GET    /api/compose/recipients?q=     address-book completion: contacts (and colleagues) by name/email
 * - GET    /api/compose/senders           mailboxes the user may send from, with signature and limits
 * - GET/POST /api/templates, GET/PATCH/DELETE /api/templates/:id; POST /api/templates/:id/render
 *                                         { contactId?, companyId?, dealId? } → renderedTemplate
 * - GET/PUT /api/mailboxes/:id/senders    users allowed to send (owner and admins edit) { userIds }
 * - PATCH  /api/mailboxes/:id             gains signatureHtml (owner and admins)
 * - GET    /api/messages/:id              gains `bounces: bounce[]`; contact emails gain bouncingAt/bounceReason
 */

export const addressInputSchema = z.strictObject({
  name: z.string().max(200).nullable().optional(),
  address: z.string().max(320),
});
export const addressSchema = z.object({ name: z.string().nullable(), address: z.string() });

export const composeKindSchema = z.enum(['new', 'reply', 'reply_all', 'forward']);
export const recordTypeSchema = z.enum(['contact', 'company', 'deal']);
export const outboxStateSchema = z.enum(['draft', 'queued', 'sending', 'sent', 'failed', 'cancelled']);

export const composeInputSchema = z.strictObject({
  mailboxId: z.uuid(),
  kind: composeKindSchema.default('new'),
  /** The message replied to or forwarded (threading headers and forwarded attachments come from it). */
  sourceMessageId: z.uuid().nullable().optional(),
  record: z.strictObject({ type: recordTypeSchema, id: z.uuid() }).nullable().optional(),
  templateId: z.uuid().nullable().optional(),
  to: z.array(addressInputSchema).max(100).default([]),
  cc: z.array(addressInputSchema).max(100).default([]),
  bcc: z.array(addressInputSchema).max(100).default([]),
  subject: z.string().max(998).default(''),
  /** Rich text from the editor; sanitized on the server. The plain-text alternative is made from it. */
  html: z.string().max(2_000_000).default(''),
  /** Uploads (POST /api/outbox/uploads), the source's attachments by id when forwarding, and a draft's own by hash. */
  attachments: z
    .array(
      z.union([
        z.strictObject({ uploadId: z.uuid() }),
        z.strictObject({ attachmentId: z.uuid() }),
        // One the draft already holds (outboxItem.attachments[].sha256): kept when the list is sent again.
        z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex') }),
      ]),
    )
    .max(50)
    .default([]),
  /** true: queue it now (undo window) or at sendAt; false: keep as a draft. */
  send: z.boolean().default(false),
  sendAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** The undo window in seconds (0 to 60); default 10. */
  undoSeconds: z.number().int().min(0).max(60).optional(),
});
export type ComposeInput = z.infer<typeof composeInputSchema>;

/** What a file says of itself, attached or uploaded. */
const fileFields = { filename: z.string(), contentType: z.string(), size: z.number() };

export const outboxAttachmentSchema = z.object({ sha256: z.string(), ...fileFields });

export const outboxItemSchema = z.object({
  id: z.string(),
  mailboxId: z.string(),
  from: addressSchema,
  state: outboxStateSchema,
  kind: composeKindSchema,
  sourceMessageId: z.string().nullable(),
  record: z.object({ type: recordTypeSchema, id: z.string() }).nullable(),
  templateId: z.string().nullable(),
  messageIdHeader: z.string(),
  to: z.array(addressSchema),
  cc: z.array(addressSchema),
  bcc: z.array(addressSchema),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  attachments: z.array(outboxAttachmentSchema),
  sendAt: timestampSchema.nullable(),
  attempts: z.number(),
  nextAttemptAt: timestampSchema.nullable(),
  /** A failure's stable code (SendFailureCode), the server's answer and the fix, in the reader's language. */
  lastError: z
    .object({ code: z.string(), serverResponse: z.string().nullable(), explanation: z.string(), fix: z.string(), at: z.string() })
    .nullable(),
  sentAt: timestampSchema.nullable(),
  /** The stored message once sent (opens in the inbox and threads). */
  sentMessageId: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export const outboxPageSchema = pageOf(outboxItemSchema);

export const uploadSchema = z.object({ id: z.string(), ...fileFields });

/** What the compose form opens with for a reply, reply all or forward (nothing is saved until edited). */
export const composeDraftSchema = z.object({
  mailboxId: z.string(),
  kind: composeKindSchema,
  sourceMessageId: z.string(),
  to: z.array(addressSchema),
  cc: z.array(addressSchema),
  subject: z.string(),
  /** The quoted original (blockquote with "On … wrote:" / "在 … 写道：" by the reader's language), signature above it. */
  html: z.string(),
  /** Forward: the original's attachments, offered by id. */
  attachments: z.array(z.object({ attachmentId: z.string(), filename: z.string().nullable(), contentType: z.string(), size: z.number() })),
});

export const senderMailboxSchema = mailboxSchema.pick({ id: true, email: true, displayName: true, signatureHtml: true }).extend({
  canSend: z.boolean(),
  /** Why not, when canSend is false ("no SMTP server", "needs attention"). */
  reason: z.string().nullable(),
  limits: z.object({ maxMessageBytes: z.number().nullable(), perDay: z.number().nullable(), sentToday: z.number() }),
});

export const recipientSuggestionSchema = z.object({
  name: z.string().nullable(),
  address: z.string(),
  contactId: z.string().nullable(),
  companyName: z.string().nullable(),
  bouncing: z.boolean(),
});

export const templateInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  language: z.enum(['en', 'zh-CN']).default('en'),
  subject: z.string().max(998).default(''),
  html: z.string().max(500_000).default(''),
  /** Shared with everyone (admins only); else personal. */
  shared: z.boolean().default(false),
});

export const templateSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: z.enum(['en', 'zh-CN']),
  subject: z.string(),
  html: z.string(),
  shared: z.boolean(),
  editable: z.boolean(),
  /** Merge fields it uses ("contact.firstName"). */
  fields: z.array(z.string()),
  updatedAt: timestampSchema,
});

export const renderTemplateInputSchema = z.strictObject({
  contactId: z.uuid().nullable().optional(),
  companyId: z.uuid().nullable().optional(),
  dealId: z.uuid().nullable().optional(),
});

export const renderedTemplateSchema = z.object({
  subject: z.string(),
  html: z.string(),
  /** Fields the record could not fill: left as {{field}} in the text, and listed here to show before sending. */
  missing: z.array(z.string()),
});

export const bounceSchema = z.object({
  recipient: z.string(),
  action: z.string(),
  status: z.string().nullable(),
  diagnostic: z.string().nullable(),
  reportedAt: timestampSchema.nullable(),
  reportMessageId: z.string(),
});

/** The merge fields templates may use; anything else in {{ }} is left as it is (the list lives with the renderer). */
export { MERGE_FIELDS } from '../../outbox/merge.ts';
