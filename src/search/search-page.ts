import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SearchError } from './errors.ts';
import { extractLabels, parseQuery, type SearchTerm } from './query-terms.ts';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint, type SearchCursor, type SearchType } from './search-cursor.ts';
import { searchEmailPage, type EmailFilters, type EmailHit } from './search-emails.ts';
import { searchCompanies, searchContacts, searchDeals, type RecordHit } from './search-records.ts';

export const SEARCH_TYPES = ['contacts', 'companies', 'deals', 'emails'] as const satisfies readonly SearchType[];

export interface SearchRequest {
  q: string;
  types?: SearchType[];
  emailFilters: EmailFilters;
  limit: number;
  cursor?: string;
}

export type SearchHit = ({ type: 'emails' } & EmailHit) | ({ type: Exclude<SearchType, 'emails'> } & RecordHit);

export interface SearchPage {
  /** The words searched for, and the `label:` terms (as label keys) that filter the emails. */
  query: { terms: SearchTerm[]; labels: string[] };
  /** Grouped by type in SEARCH_TYPES order, each group ranked. */
  items: SearchHit[];
  /** One cursor for every type that has more; following it pages those types only. */
  nextCursor: string | null;
}

/**
 * One search box. Each requested type comes back ranked with a highlighted snippet (HTML-escaped text
 * with <mark>), up to `limit` hits per type. Emails are cut to what the caller may see: a subject-only
 * mailbox matches on subject and participants only, a metadata-only one on participants only, a private
 * one of someone else not at all. `label:` terms (Gmail labels) filter the emails and make the search an
 * email search: contacts, companies and deals have no labels.
 */
export async function runSearch(db: Kysely<Database>, userId: string, request: SearchRequest): Promise<SearchPage> {
  const { rest, labels: queryLabels } = extractLabels(request.q);
  const labels = [...new Set([...queryLabels, ...(request.emailFilters.labels ?? [])])];
  const r: SearchRequest = labels.length
    ? {
        ...request,
        types: (request.types ?? SEARCH_TYPES).filter((t) => t === 'emails'),
        emailFilters: { ...request.emailFilters, labels },
      }
    : request;
  const terms = parseQuery(rest);
  if (!terms.length && !labels.length) throw new SearchError('empty_query', 'The query has no letters or digits to search for.');
  const q = terms.map((t) => t.text).join(' ');
  const words = terms.map((t) => t.text);
  // Record searches take no filters; the email filters are part of what an email cursor belongs to.
  const fingerprint = (type: SearchType) => searchFingerprint(type, words, type === 'emails' ? r.emailFilters : {});
  const cursors = r.cursor !== undefined ? decodeSearchCursor(r.cursor, fingerprint) : undefined;
  const cursorTypes = cursors?.map((c) => c.t);
  if (cursorTypes && r.types && (r.types.length !== cursorTypes.length || r.types.some((t) => !cursorTypes.includes(t)))) {
    const list = cursorTypes.join(',');
    throw new SearchError('invalid_cursor', `The cursor pages through ${list}; send types=${list} or no types with it.`);
  }
  const want = new Set<SearchType>(cursorTypes ?? r.types ?? SEARCH_TYPES);
  const after = <T extends SearchType>(t: T) => cursors?.find((c): c is Extract<SearchCursor, { t: T }> => c.t === t);
  const [contacts, companies, deals, emails] = await Promise.all([
    want.has('contacts') ? searchContacts(db, terms, q, r.limit, after('contacts')) : undefined,
    want.has('companies') ? searchCompanies(db, terms, q, r.limit, after('companies')) : undefined,
    want.has('deals') ? searchDeals(db, terms, q, r.limit, after('deals')) : undefined,
    want.has('emails') ? searchEmailPage(db, userId, terms, r.emailFilters, r.limit, after('emails')) : undefined,
  ]);
  const items: SearchHit[] = [
    ...(contacts?.items ?? []).map((h) => ({ type: 'contacts' as const, ...h })),
    ...(companies?.items ?? []).map((h) => ({ type: 'companies' as const, ...h })),
    ...(deals?.items ?? []).map((h) => ({ type: 'deals' as const, ...h })),
    ...(emails?.items ?? []).map((h) => ({ type: 'emails' as const, ...h })),
  ];
  const next = [contacts?.next, companies?.next, deals?.next, emails?.next].filter((c): c is SearchCursor => !!c);
  return { query: { terms, labels }, items, nextCursor: next.length ? encodeSearchCursor(next, fingerprint) : null };
}
