import { z } from 'zod';

/**
 * The shapes of mail that leave the API, as schemas: the store's presenters (presenters.ts) fill them,
 * the mail routes and the timeline publish them in the OpenAPI document, and a field not named here does
 * not leave the API. One home, so an email reads the same in the inbox, in search and on a timeline.
 */
const address = z.object({ name: z.string().nullable(), address: z.string() });

export const mailAccessSchema = z.enum(['full', 'subject', 'metadata']);

export const messageSummarySchema = z.object({
  id: z.string(),
  mailboxId: z.string(),
  threadId: z.string().nullable(),
  access: mailAccessSchema,
  date: z.string().nullable().describe('what the message sorts by: the Date header, or receivedAt when the header is implausible'),
  headerDate: z.string().nullable().describe('the Date header as the sender wrote it (null: none)'),
  receivedAt: z.string().nullable().describe('when the mail server received it (null: unknown)'),
  loggedByUserId: z.string().nullable().describe('logged through a drop box by this user (docs/drop-box.md)'),
  from: z.array(address),
  to: z.array(address),
  cc: z.array(address),
  subject: z.string().nullable().describe('null when the mailbox shares only who and when'),
  snippet: z.string().nullable().describe('null unless the reader sees the mailbox in full'),
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
  draft: z.boolean(),
  hasAttachments: z.boolean().nullable(),
  // A size is neither who nor when: metadata-only readers get null.
  size: z.number().nullable().describe('null when the mailbox shares only who and when'),
  // Like the owner's folder names, labels say how the owner files the mail: full readers only.
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

export type MessageSummary = z.infer<typeof messageSummarySchema>;
export type MessageDetail = z.infer<typeof messageDetailSchema>;
