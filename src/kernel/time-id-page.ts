import { type SelectQueryBuilder, sql } from 'kysely';
import { decodeTimeIdCursor, encodeTimeIdCursor } from './time-id-cursor.ts';

/** How a list is ordered newest first: by the `at` column, then by the row's uuid `id` column. */
export interface TimeIdOrder<O> {
  at: string;
  id: string;
  /** The moment's field inside the cursor (see `encodeTimeIdCursor`). */
  cursorKey: string;
  atOf(row: O): Date | string;
}

/**
 * One keyset page of a list ordered newest first: the rows after `page.cursor`, fetched with one extra row
 * that only says whether there is a next page.
 */
export async function timeIdPage<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  order: TimeIdOrder<O>,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: O[]; nextCursor: string | null }> {
  const at = sql.ref(order.at);
  const id = sql.ref(order.id);
  let after = query;
  if (page.cursor) {
    const c = decodeTimeIdCursor(order.cursorKey, page.cursor);
    after = query.where(sql<boolean>`(${at}, ${id}) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await after
    .orderBy(sql`${at} desc, ${id} desc`)
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const nextCursor = rows.length > page.limit && last ? encodeTimeIdCursor(order.cursorKey, order.atOf(last), last.id) : null;
  return { items, nextCursor };
}
