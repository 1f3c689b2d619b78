/** One search box over contacts, companies, deals and emails (Chinese substrings and English words). */
export { parseQuery, type SearchTerm } from './query-terms.ts';
export { highlight } from './highlight.ts';
export { decodeSearchCursor, encodeSearchCursor, searchFingerprint, type SearchCursor, type SearchType } from './search-cursor.ts';
export { searchEmailPage, searchEmails, type EmailFilters, type EmailHit, type EmailPage } from './search-emails.ts';
export { searchCompanies, searchContacts, searchDeals, type RecordHit, type RecordPage } from './search-records.ts';
