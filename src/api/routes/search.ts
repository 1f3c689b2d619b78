import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import {
  decodeSearchCursor, encodeSearchCursor, parseQuery, searchCompanies, searchContacts, searchDeals, searchEmailPage, searchFingerprint,
  type SearchCursor, type SearchType,
} from '../../search/index.ts';
import type { RouteContext } from '../context.ts';
import { SearchError } from '../../search/errors.ts';

const TYPES = ['contacts', 'companies', 'deals', 'emails'] as const;
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  types: z.string().max(100).optional().transform((v, ctx) => {
    if (!v) return undefined;
    const list = [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];
    const bad = list.find((t) => !(TYPES as readonly string[]).includes(t));
    if (bad) ctx.addIssue({ code: 'custom', message: `unknown type "${bad.slice(0, 30)}"` });
    return list.length ? (list as SearchType[]) : undefined;
  }),
  mailboxId: z.uuid().optional(),
  folderId: z.uuid().optional(),
  from: z.string().trim().min(1).max(254).optional(),
  to: z.string().trim().min(1).max(254).optional(),
  after: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  before: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  hasAttachment: bool.optional(),
  unread: bool.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  // Checked by decodeSearchCursor, so every bad cursor is the same 400 invalid_cursor.
  cursor: z.string().optional(),
});

/**
 * One search box. Each requested type comes back ranked with a highlighted snippet (HTML-escaped text
 * with <mark>). Emails are cut to what the caller may see: a subject-only mailbox matches on subject and
 * participants only, a metadata-only one on participants only, a private one of someone else not at all.
 *
 * Paging: `nextCursors` holds, per returned type, an opaque cursor for its next page (null after the last).
 * Sending `cursor` (same q and filters; `types` omitted or that one type) returns the next page of that
 * type only. A cursor from another search or not from this API is a 400 `invalid_cursor`.
 */
export function searchRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/search', { schema: { tags: ['search'], querystring: searchQuery } }, async (request) => {
    const user = requireUser(request);
    const query = request.query;
    const terms = parseQuery(query.q);
    if (!terms.length) throw new SearchError('empty_query', 'The query has no letters or digits to search for.');
    const q = terms.map((t) => t.text).join(' ');
    const emailFilters = {
      mailboxId: query.mailboxId, folderId: query.folderId, from: query.from, to: query.to,
      after: query.after ? new Date(query.after) : undefined, before: query.before ? new Date(query.before) : undefined,
      hasAttachment: query.hasAttachment, unread: query.unread,
    };
    const words = terms.map((t) => t.text);
    // Record searches take no filters; the email filters are part of what an email cursor belongs to.
    const fingerprint = (type: SearchType) => searchFingerprint(type, words, type === 'emails' ? emailFilters : {});
    const cursor: SearchCursor | undefined = query.cursor !== undefined ? decodeSearchCursor(query.cursor, fingerprint) : undefined;
    if (cursor && query.types && (query.types.length !== 1 || query.types[0] !== cursor.t)) {
      throw new SearchError('invalid_cursor', `The cursor pages through ${cursor.t}; send types=${cursor.t} or no types with it.`);
    }
    const want = new Set<SearchType>(cursor ? [cursor.t] : query.types ?? TYPES);
    const recordAfter = (t: SearchType) => (cursor && cursor.t === t && cursor.t !== 'emails' ? cursor : undefined);
    const [contacts, companies, deals, emails] = await Promise.all([
      want.has('contacts') ? searchContacts(db, terms, q, query.limit, recordAfter('contacts')) : undefined,
      want.has('companies') ? searchCompanies(db, terms, q, query.limit, recordAfter('companies')) : undefined,
      want.has('deals') ? searchDeals(db, terms, q, query.limit, recordAfter('deals')) : undefined,
      want.has('emails') ? searchEmailPage(db, user.id, terms, emailFilters, query.limit, cursor?.t === 'emails' ? cursor : undefined) : undefined,
    ]);
    const nextCursors: Partial<Record<SearchType, string | null>> = {};
    const pages = { contacts, companies, deals, emails };
    for (const type of TYPES) {
      const page = pages[type];
      if (page) nextCursors[type] = page.next ? encodeSearchCursor(page.next, fingerprint(type)) : null;
    }
    return {
      query: { terms },
      ...(contacts && { contacts: contacts.items }), ...(companies && { companies: companies.items }),
      ...(deals && { deals: deals.items }), ...(emails && { emails: emails.items }),
      nextCursors,
    };
  });
}
