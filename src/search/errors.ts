import { DomainError } from '../kernel/index.ts';

export type SearchErrorCode = 'empty_query';

/** A search that cannot run: no words in the query, or a cursor that is not one of ours (`invalid_cursor`). */
export class SearchError extends DomainError<SearchErrorCode | 'invalid_cursor'> {}
