import { z } from 'zod';

/**
 * Response schemas of the mail routes: the OpenAPI document's description of every answer, and the
 * serializer's allowlist (a field not named here does not leave the API). They mirror
 * src/store/presenters.ts, src/store/folder-tree.ts, src/sync/status.ts and src/search.
 */
const address = z.object({ name: z.string().nullable(), address: z.string() });
const access = z.enum(['full', 'subject', 'metadata']);

export const messageSummarySchema = z.object({
  id: z.string(),
  mailboxId: z.string(),
  threadId: z.string().nullable(),
  access,
  date: z.string().nullable(),
  from: z.array(address),
  to: z.array(address),
  cc: z.array(address),
  subject: z.string().nullable(),
  snippet: z.string().nullable(),
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
  draft: z.boolean(),
  hasAttachments: z.boolean().nullable(),
  size: z.number().nullable().describe('null when the mailbox shares only who and when'),
  labels: z
    .array(z.string())
    .describe('Gmail labels: user labels and "\\Important" (shown as Important); [] unless the reader sees the mailbox in full'),
});

export const messageDetailSchema = messageSummarySchema.extend({
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  bcc: z.array(address),
  replyTo: z.array(address),
  participants: z.array(z.string()),
  text: z.string().nullable(),
  html: z.string().nullable(),
  parseError: z.string().nullable(),
  htmlTooBig: z.boolean().describe('the HTML body was too big to show: read text, or download the original'),
  tooLarge: z.boolean().describe('over the server size cap (TIDINGS_MAX_MESSAGE_MB): only the headers were downloaded'),
  listId: z.string().nullable(),
  listUnsubscribe: z.string().nullable(),
  folders: z.array(z.object({ id: z.string(), name: z.string(), role: z.string().nullable() })),
  attachments: z.array(
    z.object({
      id: z.string(),
      filename: z.string().nullable(),
      contentType: z.string(),
      size: z.number(),
      inline: z.boolean(),
      contentId: z.string().nullable(),
    }),
  ),
});

export const messagePageSchema = z.object({ items: z.array(messageSummarySchema), nextCursor: z.string().nullable() });

export const folderNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  role: z.string().nullable(),
  selected: z.boolean(),
  unread: z.number(),
  total: z.number(),
});

export const readableMailboxSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  access,
  owned: z.boolean(),
  folders: z.array(folderNodeSchema),
});

export const syncStatusSchema = z.object({
  mailboxId: z.string(),
  state: z.enum(['idle', 'importing', 'syncing', 'watching', 'backoff', 'needs_attention', 'paused', 'stopped']),
  holder: z.enum(['this', 'other', 'none']),
  lastSuccessAt: z.string().nullable(),
  lagMs: z.number().nullable(),
  lastError: z.string().nullable(),
  counters: z.object({
    fetched: z.number(),
    created: z.number(),
    updated: z.number(),
    deleted: z.number(),
    bytes: z.number(),
    fetchFailed: z.number(),
  }),
  waitingForRetry: z.number(),
  progress: z.array(
    z.object({
      folderId: z.string(),
      name: z.string(),
      done: z.number(),
      total: z.number(),
      ratePerSec: z.number().nullable(),
      etaSeconds: z.number().nullable(),
    }),
  ),
});

const highlight = z.object({ field: z.string(), html: z.string() }).nullable();

/** A search hit: an email (a message summary) or a record whose further fields depend on its type. */
export const searchPageSchema = z.object({
  query: z.object({
    terms: z.array(z.object({ text: z.string(), kind: z.enum(['word', 'cjk1', 'cjk2', 'cjk3']) })),
    labels: z.array(z.string()).describe('the `label:` terms (and the label filter) as label keys: lower case, blanks as hyphens'),
  }),
  items: z.array(
    z.union([
      messageSummarySchema.extend({ type: z.literal('emails'), rank: z.number(), highlight }),
      z.looseObject({ type: z.enum(['contacts', 'companies', 'deals']), id: z.string(), name: z.string(), rank: z.number(), highlight }),
    ]),
  ),
  nextCursor: z.string().nullable(),
});

/** Bytes (raw source, attachments, the HTML document) are described by their content type only. */
export const bytesSchema = z.any().meta({ type: 'string', format: 'binary' });
