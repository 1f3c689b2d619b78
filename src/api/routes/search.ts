import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { runSearch, SEARCH_TYPES, type SearchType } from '../../search/index.ts';
import type { RouteContext } from '../context.ts';
import { booleanQuery } from '../query-schemas.ts';
import { searchPageSchema } from './mail-schemas.ts';

const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  types: z
    .string()
    .max(100)
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const list = [
        ...new Set(
          v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      const bad = list.find((t) => !(SEARCH_TYPES as readonly string[]).includes(t));
      if (bad) ctx.addIssue({ code: 'custom', message: `unknown type "${bad.slice(0, 30)}"` });
      return list.length ? (list as SearchType[]) : undefined;
    }),
  mailboxId: z.uuid().optional(),
  folderId: z.uuid().optional(),
  from: z.string().trim().min(1).max(254).optional(),
  to: z.string().trim().min(1).max(254).optional(),
  after: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  before: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  hasAttachments: booleanQuery.optional(),
  unread: booleanQuery.optional(),
  label: z.string().trim().min(1).max(200).optional().describe('a Gmail label the emails carry (as `label:` in q); emails only'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  // Checked by the search module, so every bad cursor is the same 400 invalid_cursor.
  cursor: z.string().optional(),
});

/**
 * One search box (see runSearch). Paging: `items` holds up to `limit` hits of each requested type, tagged
 * with its `type`; `nextCursor` is one opaque cursor for the types that have more (null after the last).
 * Sending it (same q and filters; `types` omitted or exactly those types) returns their next pages. A
 * cursor from another search or not from this API is a 400 `invalid_cursor`.
 */
export function searchRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/search',
    { schema: { tags: ['search'], querystring: searchQuery, response: { 200: searchPageSchema } } },
    async (request) => {
      const user = requireUser(request);
      const { q, types, limit, cursor, ...f } = request.query;
      const emailFilters = {
        mailboxId: f.mailboxId,
        folderId: f.folderId,
        from: f.from,
        to: f.to,
        after: f.after ? new Date(f.after) : undefined,
        before: f.before ? new Date(f.before) : undefined,
        hasAttachments: f.hasAttachments,
        unread: f.unread,
        labels: f.label ? [f.label] : undefined,
      };
      return runSearch(db, user.id, { q, types, limit, cursor, emailFilters });
    },
  );
}
