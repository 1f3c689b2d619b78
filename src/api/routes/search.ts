import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { parseQuery, searchCompanies, searchContacts, searchDeals, searchEmails } from '../../search/index.ts';
import type { RouteContext } from '../context.ts';
import { badRequest } from '../problem.ts';

const TYPES = ['contacts', 'companies', 'deals', 'emails'] as const;
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  types: z.string().max(100).optional().transform((v, ctx) => {
    if (!v) return [...TYPES];
    const list = [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];
    const bad = list.find((t) => !(TYPES as readonly string[]).includes(t));
    if (bad) ctx.addIssue({ code: 'custom', message: `unknown type "${bad.slice(0, 30)}"` });
    return list as Array<(typeof TYPES)[number]>;
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
});

/**
 * One search box. Each requested type comes back ranked with a highlighted snippet (HTML-escaped text
 * with <mark>). Emails are cut to what the caller may see: a subject-only mailbox matches on subject and
 * participants only, a metadata-only one on participants only, a private one of someone else not at all.
 */
export function searchRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/search', { schema: { tags: ['search'], querystring: searchQuery } }, async (request) => {
    const user = requireUser(request);
    const query = request.query;
    const terms = parseQuery(query.q);
    if (!terms.length) throw badRequest('empty_query', 'The query has no letters or digits to search for.');
    const q = terms.map((t) => t.text).join(' ');
    const want = new Set(query.types);
    const emailFilters = {
      mailboxId: query.mailboxId, folderId: query.folderId, from: query.from, to: query.to,
      after: query.after ? new Date(query.after) : undefined, before: query.before ? new Date(query.before) : undefined,
      hasAttachment: query.hasAttachment, unread: query.unread,
    };
    const [contacts, companies, deals, emails] = await Promise.all([
      want.has('contacts') ? searchContacts(db, terms, q, query.limit) : undefined,
      want.has('companies') ? searchCompanies(db, terms, q, query.limit) : undefined,
      want.has('deals') ? searchDeals(db, terms, q, query.limit) : undefined,
      want.has('emails') ? searchEmails(db, user.id, terms, emailFilters, query.limit) : undefined,
    ]);
    return { query: { terms }, ...(contacts && { contacts }), ...(companies && { companies }), ...(deals && { deals }), ...(emails && { emails }) };
  });
}
