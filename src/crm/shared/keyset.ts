import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { CrmError, InvalidCursorError } from '../errors.ts';

/** How a sort key is compared: the cursor carries its text form and is cast back to this type. */
export type SortCast = 'text' | 'timestamptz' | 'numeric' | 'date';

export interface SortField {
  /** Qualified column, e.g. `c.name`. Must be NOT NULL: a row comparison with NULL never matches. */
  column: string;
  cast: SortCast;
}

export interface SortSpec {
  name: string;
  field: SortField;
  desc: boolean;
  /** Qualified id column, the tie-breaker that makes every position unique. */
  idColumn: string;
}

export interface Cursor {
  sort: string;
  key: string;
  id: string;
}

export const MAX_PAGE = 100;

/** Resolves a whitelisted `sort` value (`name`, `-updatedAt`); the route's zod enum already checked it. */
export function sortSpec(sort: string, fields: Record<string, SortField>, idColumn: string): SortSpec {
  const desc = sort.startsWith('-');
  const name = desc ? sort.slice(1) : sort;
  const field = fields[name];
  if (!field) throw new CrmError('invalid_sort', `Cannot sort by "${name}".`);
  return { name: sort, field, desc, idColumn };
}

/** The sort values a route accepts: every field ascending and descending. */
export function sortValues(fields: Record<string, SortField>): [string, ...string[]] {
  const names = Object.keys(fields);
  return [...names, ...names.map((n) => `-${n}`)] as [string, ...string[]];
}

/**
 * Opaque to clients: base64url of [sort, key, id]. The key is the database's own text form of the sort
 * value, so timestamps keep their microseconds and numerics their scale (a JS Date would drop the first).
 */
export function encodeCursor(sort: string, key: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id]), 'utf8').toString('base64url');
}

export function decodeCursor(value: string, sort: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((v) => typeof v === 'string')) throw invalidCursor();
  const [s, key, id] = parsed as [string, string, string];
  if (s !== sort) throw new InvalidCursorError('The cursor belongs to another sort order; start again without a cursor.');
  if (!/^[0-9a-f-]{36}$/i.test(id) || key.length > 1000) throw invalidCursor();
  return { sort: s, key, id };
}

function invalidCursor(): InvalidCursorError {
  return new InvalidCursorError();
}

/** `(key, id) > (cursorKey, cursorId)` (or `<` descending): the rows after the cursor. */
export function afterCursor(spec: SortSpec, cursor: Cursor): RawBuilder<boolean> {
  const op = sql.raw(spec.desc ? '<' : '>');
  return sql<boolean>`(${sql.ref(spec.field.column)}, ${sql.ref(spec.idColumn)}) ${op} (cast(${cursor.key} as ${sql.raw(spec.field.cast)}), cast(${cursor.id} as uuid))`;
}

export function pageOrder(spec: SortSpec): RawBuilder<unknown> {
  const dir = sql.raw(spec.desc ? 'desc' : 'asc');
  return sql`${sql.ref(spec.field.column)} ${dir}, ${sql.ref(spec.idColumn)} ${dir}`;
}

export function sortKey(spec: SortSpec): RawBuilder<string> {
  return sql<string>`${sql.ref(spec.field.column)}::text`;
}

/** Rows were fetched with limit + 1: the extra row only says there is a next page. */
export function takePage<T extends { id: string; sort_key: string }>(
  rows: T[],
  limit: number,
  spec: SortSpec,
): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1]!;
  return { rows: page, nextCursor: encodeCursor(spec.name, last.sort_key, last.id) };
}

/**
 * The page of a list query that selects `sort_key` (see `sortKey`): the rows after the cursor in the
 * spec's order, fetched with one extra row that only says whether there is a next page.
 */
export async function keysetPage<DB, TB extends keyof DB, O extends { id: string; sort_key: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  spec: SortSpec,
  cursor: Cursor | null,
  limit: number,
): Promise<{ rows: O[]; nextCursor: string | null }> {
  const after = cursor ? query.where(afterCursor(spec, cursor)) : query;
  const rows = await after
    .orderBy(pageOrder(spec))
    .limit(limit + 1)
    .execute();
  return takePage(rows, limit, spec);
}

/** A list's equality filters, `{ 'c.owner_user_id': filters.ownerId }`: a filter the request left out is not applied. */
export function whereEquals<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: Record<string, string | undefined>,
): SelectQueryBuilder<DB, TB, O> {
  let filtered = query;
  for (const [column, value] of Object.entries(columns)) {
    if (value) filtered = filtered.where(sql<boolean>`${sql.ref(column)} = ${value}`);
  }
  return filtered;
}

/** For LIKE patterns built from user input. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
