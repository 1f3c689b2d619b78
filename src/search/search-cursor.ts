import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SearchError } from './errors.ts';

/** The result lists a search returns, each paged on its own. */
export type SearchType = 'contacts' | 'companies' | 'deals' | 'emails';

/**
 * A message's place in date order (newest first, no date last, then id descending): `d` is the date as
 * fixed-width UTC text with microseconds (so text order is time order and casting back is exact), null
 * when the message has no date.
 */
export interface MailKey {
  d: string | null;
  i: string;
}

/**
 * Where an email page stopped. Emails are ranked within slices of the newest matches (see search-emails.ts):
 * `s` is the slice's exclusive upper bound (null: the newest match); once a page was cut inside the slice,
 * `e` is its inclusive lower bound, `n` where the following slice starts (null: none) and `p` the last hit
 * returned (rank and key). Without `p` the next page starts at the top of the slice below `s`.
 */
export interface EmailCursor {
  t: 'emails';
  s: MailKey | null;
  e?: MailKey;
  n?: MailKey | null;
  p?: { r: number; k: MailKey };
}

/** Where a contacts, companies or deals page stopped: rank (numeric text), name, id. */
export interface RecordCursor {
  t: 'contacts' | 'companies' | 'deals';
  r: string;
  n: string;
  i: string;
}

export type SearchCursor = EmailCursor | RecordCursor;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const mailKey = z.strictObject({
  d: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
    .nullable(),
  i: uuid,
});
const payload = z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('emails'),
    s: mailKey.nullable(),
    e: mailKey.optional(),
    n: mailKey.nullable().optional(),
    p: z.strictObject({ r: z.number().finite(), k: mailKey }).optional(),
    h: z.string().max(40),
  }),
  z.strictObject({
    t: z.enum(['contacts', 'companies', 'deals']),
    r: z.string().regex(/^-?\d{1,6}(\.\d{1,12})?$/),
    n: z.string().max(1000),
    i: uuid,
    h: z.string().max(40),
  }),
]);

const invalid = (detail = 'The cursor is not one this API gave out; start again without a cursor.') =>
  new SearchError('invalid_cursor', detail);

const payloads = z
  .array(payload)
  .min(1)
  .max(4)
  .refine((list) => new Set(list.map((p) => p.t)).size === list.length);

/**
 * One opaque cursor for a search page: where each type that has more stopped. base64url JSON, each
 * position with a fingerprint of the search it belongs to (`h`), so a cursor pasted onto another query is
 * refused instead of silently paging something else. Nothing in it is secret: every page applies the
 * reader's visibility afresh.
 */
export function encodeSearchCursor(cursors: SearchCursor[], fingerprint: (type: SearchType) => string): string {
  return Buffer.from(JSON.stringify(cursors.map((c) => ({ ...c, h: fingerprint(c.t) }))), 'utf8').toString('base64url');
}

export function decodeSearchCursor(value: string, fingerprint: (type: SearchType) => string): SearchCursor[] {
  if (value.length > 8000 || !/^[A-Za-z0-9_-]+$/.test(value)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = payloads.safeParse(parsed);
  if (!result.success) throw invalid();
  return result.data.map(({ h, ...cursor }) => {
    if (h !== fingerprint(cursor.t))
      throw invalid('The cursor belongs to another search (query, filters or type); start again without a cursor.');
    return cursor as SearchCursor;
  });
}

/** What makes two requests the same search: the type, the parsed terms and every filter (not the page size). */
export function searchFingerprint(type: SearchType, terms: string[], filters: object): string {
  const stable = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]);
  return createHash('sha256')
    .update(JSON.stringify([type, terms, stable]))
    .digest('base64url')
    .slice(0, 16);
}

/** Date order of two keys: negative when `a` comes first (newer; dated before undated; then higher id). */
export function compareMailKeys(a: MailKey, b: MailKey): number {
  if (a.d !== b.d) {
    if (a.d === null) return 1;
    if (b.d === null) return -1;
    return a.d > b.d ? -1 : 1;
  }
  return a.i === b.i ? 0 : a.i > b.i ? -1 : 1;
}
