import { z } from 'zod';
import { mailAccessSchema, messageSummarySchema } from '../../store/message-schemas.ts';
import { pageOf } from '../query-schemas.ts';
import { timestampSchema, uuidParam } from '../schemas.ts';

/**
 * Response schemas of the mail routes: the OpenAPI document's description of every answer, and the
 * serializer's allowlist (a field not named here does not leave the API). They mirror
 * src/store/message-schemas.ts (messages), src/store/folder-tree.ts, src/sync/status.ts and src/search.
 */
export const messagePageSchema = pageOf(messageSummarySchema);

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
  access: mailAccessSchema,
  owned: z.boolean(),
  folders: z.array(folderNodeSchema),
});

export const syncStatusSchema = z.object({
  mailboxId: z.string(),
  state: z.enum(['idle', 'importing', 'syncing', 'watching', 'backoff', 'needs_attention', 'paused', 'stopped']),
  holder: z.enum(['this', 'other', 'none']),
  lastSuccessAt: timestampSchema.nullable(),
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

const bothLanguages = z.object({ en: z.string(), 'zh-CN': z.string() });

/** A failure of the one catalogue (connection test and sync): its code, what happened and what to do, in both languages. */
export const explainedFailureSchema = z.object({
  code: z.string(),
  message: bothLanguages,
  fix: bothLanguages,
});

const syncFailureSchema = explainedFailureSchema.extend({ at: z.string(), folder: z.string().nullable() });

/** GET /mailboxes/:id/sync-status: the live status with each folder's state and cursor, recent errors and the retry list. */
export const syncReportSchema = syncStatusSchema.extend({
  lastFailure: syncFailureSchema.nullable().describe('The last failure, explained; null after a good round.'),
  folders: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: z.string().nullable(),
      state: z.enum(['importing', 'synced', 'failed', 'waiting']),
      synced: z.number(),
      total: z.number(),
      lastSyncedAt: z.string().nullable(),
      lastError: z.string().nullable(),
      cursor: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .nullable()
        .describe("IMAP's uidValidity, uidNext, highestModseq; `saved: true` for Graph's and EWS's opaque states."),
    }),
  ),
  recentErrors: z.array(syncFailureSchema).describe('Newest first; a mailbox keeps its last 20.'),
  retries: z
    .array(z.object({ folder: z.string(), remoteId: z.string(), tries: z.number(), firstFailedAt: z.string(), nextTryAt: z.string() }))
    .describe('Messages the server listed but did not return, tried again later (at most 50 shown; waitingForRetry counts all).'),
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
const bytesSchema = z.any().meta({ type: 'string', format: 'binary' });

/** The schema of a route that answers with bytes of one message or attachment, named by id in the path. */
export function bytesRouteSchema(description: string, contentType: string) {
  return { tags: ['messages'], description, params: uuidParam, produces: [contentType], response: { 200: bytesSchema } };
}
