import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { assertCanEdit } from './access.ts';
import { type Cursor, decodeCursor, type SortField, type SortSpec, sortSpec } from './keyset.ts';
import { recordChanged } from '../events.ts';
import { type Actor, commitWrite, type CrmDeps } from './write.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What the CRM's record resources (contacts, companies, deals, purchases, activities) share: how one is
 * found, listed and presented, and how it is removed. Reading, editing and deleting go through the
 * functions below so every resource answers not_found, forbidden and pages alike.
 */
export interface CrmRecord<Row extends { id: string; owner_user_id: string }, Out, Filters> {
  /** Singular, as in not_found messages and audit actions (`contact.delete`). */
  what: string;
  find(db: Db, id: string): Promise<Row | undefined>;
  present(row: Row): Out;
  sortFields: Record<string, SortField>;
  /** Qualified id column of the list query, the keyset's tie-breaker. */
  idColumn: string;
  list(db: Db, filters: Filters, spec: SortSpec, cursor: Cursor | null, limit: number): Promise<{ rows: Row[]; nextCursor: string | null }>;
  remove(trx: Transaction<Database>, id: string): Promise<void>;
  /** Extra facts for the audit line of a delete (e.g. the name that goes with the id). */
  deleteDetail?(row: Row): Record<string, unknown>;
}

/** A list query after its schema: filters plus `sort`, `cursor` and `limit`. */
export type ListQuery<Filters> = Filters & { sort: string; cursor?: string | undefined; limit: number };

/** One page of presented records: the `{ items, nextCursor }` every CRM list answers. */
export async function listRecords<Row extends { id: string; owner_user_id: string }, Out, Filters>(
  db: Db,
  record: CrmRecord<Row, Out, Filters>,
  query: ListQuery<Filters>,
): Promise<{ items: Out[]; nextCursor: string | null }> {
  const spec = sortSpec(query.sort, record.sortFields, record.idColumn);
  const cursor = query.cursor ? decodeCursor(query.cursor, spec.name) : null;
  const { rows, nextCursor } = await record.list(db, query, spec, cursor, query.limit);
  return { items: rows.map((row) => record.present(row)), nextCursor };
}

/** The record's row, or not_found. */
export async function findRecord<Row extends { id: string; owner_user_id: string }>(
  db: Db,
  record: CrmRecord<Row, unknown, never>,
  id: string,
): Promise<Row> {
  const row = await record.find(db, id);
  if (!row) throw new NotFoundError(record.what);
  return row;
}

/** The record as the API shows it, or not_found. */
export async function readRecord<Row extends { id: string; owner_user_id: string }, Out>(
  db: Db,
  record: CrmRecord<Row, Out, never>,
  id: string,
): Promise<Out> {
  return record.present(await findRecord(db, record, id));
}

/** The row the actor is about to change: not_found, then forbidden unless they own it or are an admin. */
export async function editableRecord<Row extends { id: string; owner_user_id: string }>(
  db: Db,
  record: CrmRecord<Row, unknown, never>,
  actor: Actor,
  id: string,
): Promise<Row> {
  const row = await findRecord(db, record, id);
  assertCanEdit(actor.user, row.owner_user_id);
  return row;
}

/** Deletes a record the actor may change, with its `<what>.delete` audit line. */
export async function deleteRecord<Row extends { id: string; owner_user_id: string }>(
  deps: CrmDeps,
  actor: Actor,
  record: CrmRecord<Row, unknown, never>,
  id: string,
): Promise<void> {
  const row = await editableRecord(deps.db, record, actor, id);
  await commitWrite(deps, actor, async (trx) => {
    await record.remove(trx, row.id);
    const detail = record.deleteDetail?.(row);
    return {
      result: undefined,
      audit: { action: `${record.what}.delete`, targetType: record.what, targetId: row.id, ...(detail && { detail }) },
      events: recordChanged(record.what, row.id, 'deleted', actor.user.id),
    };
  });
}
