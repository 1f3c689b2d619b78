/** One search box over contacts, companies, deals and emails (Chinese substrings and English words). */
export { parseQuery, type SearchTerm } from './query-terms.ts';
export { highlight } from './highlight.ts';
export { searchEmails, type EmailFilters, type EmailHit } from './search-emails.ts';
export { searchCompanies, searchContacts, searchDeals, type RecordHit } from './search-records.ts';
