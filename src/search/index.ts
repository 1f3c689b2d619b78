/** One search box over contacts, companies, deals and emails (Chinese substrings and English words). */
export { parseQuery, type SearchTerm } from './query-terms.ts';
export { highlight } from './highlight.ts';
export type { SearchType } from './search-cursor.ts';
export { runSearch, SEARCH_TYPES, type SearchHit, type SearchPage, type SearchRequest } from './search-page.ts';
export { SearchError, type SearchErrorCode } from './errors.ts';
export { searchEmails, type EmailFilters, type EmailHit } from './search-emails.ts';
export type { RecordHit } from './search-records.ts';
