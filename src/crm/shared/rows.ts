import { type Insertable, type SelectQueryBuilder, sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** The tables of the CRM's record resources: each has a uuid `id` and an `updated_at` stamp. */
export type RecordTable = 'contacts' | 'companies' | 'deals' | 'purchases' | 'activities';

// The casts widen a checked per-table type to the union, which Kysely's builders accept as one table.

/** Inserts a record's row and answers its new id. */
export async function insertRow<T extends RecordTable>(
  trx: Transaction<Database>,
  table: T,
  values: Insertable<Database[T]>,
): Promise<string> {
  const { id } = await trx
    .insertInto(table as RecordTable)
    .values(values as Insertable<Database[RecordTable]>)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Changes a record's row and stamps `updated_at`. */
export async function updateRow<T extends RecordTable>(
  trx: Transaction<Database>,
  table: T,
  id: string,
  values: Updateable<Database[T]>,
): Promise<void> {
  await trx
    .updateTable(table as RecordTable)
    .set({ ...(values as Updateable<Database[RecordTable]>), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** A record select's rows for these ids, in one query (any order; missing ones are absent). */
export function selectByIds<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  idColumn: string,
  ids: string[],
): Promise<Row[]> {
  if (!ids.length) return Promise.resolve([]);
  return query.where(sql.ref(idColumn), 'in', ids).execute();
}
