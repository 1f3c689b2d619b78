import { z } from 'zod';

/** A query-string boolean: only `true` or `false`, so a typo is a 400 rather than a silent false. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * `limit` (1..max, default 50) and an opaque `cursor`: the query of every keyset list, whose answer is
 * `{ items, nextCursor }`. A list adds its own filters (and may narrow `cursor`) by spreading `.shape`.
 */
export function pageQuery(max: number, cursorMaxLength = 2000) {
  return z.strictObject({
    cursor: z.string().max(cursorMaxLength).optional(),
    limit: z.coerce.number().int().min(1).max(max).default(50),
  });
}

/** The answer of every keyset list: one page of `items` and the cursor of the next page (null on the last). */
export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * The filters of every list of messages (a folder, a thread, the unified views), one page at a time.
 * `label` is a Gmail label, matched as `label:` is in search.
 */
export const messageListQuery = z.strictObject({
  mailboxId: z.uuid().optional(),
  unread: booleanQuery.optional(),
  hasAttachments: booleanQuery.optional(),
  label: z.string().trim().min(1).max(200).optional().describe('only messages with this Gmail label (matched as `label:` in search)'),
  ...pageQuery(100, 200).shape,
});
