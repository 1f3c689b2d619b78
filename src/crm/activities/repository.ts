import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { rearmIfMoved } from '../reminders/repository.ts';
import { afterCursor, type Cursor, pageOrder, sortKey, type SortField, type SortSpec, takePage } from '../shared/keyset.ts';
import type { Activity, ActivityKind, CallDirection } from '../tables.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type ActivityRow = Activity;

export const activitySortFields: Record<string, SortField> = {
  occurredAt: { column: 'a.occurred_at', cast: 'timestamptz' },
  createdAt: { column: 'a.created_at', cast: 'timestamptz' },
  updatedAt: { column: 'a.updated_at', cast: 'timestamptz' },
};

export function findActivity(db: Db, id: string): Promise<ActivityRow | undefined> {
  return db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ActivityFilters {
  kind?: ActivityKind;
  contactId?: string;
  companyId?: string;
  dealId?: string;
  ownerId?: string;
  /** Tasks only: true = not done yet, false = done. */
  open?: boolean;
}

export async function listActivities(db: Db, filters: ActivityFilters, spec: SortSpec, cursor: Cursor | null, limit: number) {
  let query = db.selectFrom('activities as a').selectAll('a').select(sortKey(spec).as('sort_key'));
  if (filters.kind) query = query.where('a.kind', '=', filters.kind);
  if (filters.contactId) query = query.where('a.contact_id', '=', filters.contactId);
  if (filters.companyId) query = query.where('a.company_id', '=', filters.companyId);
  if (filters.dealId) query = query.where('a.deal_id', '=', filters.dealId);
  if (filters.ownerId) query = query.where('a.owner_user_id', '=', filters.ownerId);
  if (filters.open !== undefined) query = query.where('a.kind', '=', 'task').where('a.done_at', filters.open ? 'is' : 'is not', null);
  if (cursor) query = query.where(afterCursor(spec, cursor));
  const rows = await query
    .orderBy(pageOrder(spec))
    .limit(limit + 1)
    .execute();
  return takePage(rows, limit, spec);
}

export interface ActivityWrite {
  kind?: ActivityKind;
  subject?: string | null;
  body?: string | null;
  dueAt?: string | null;
  reminderAt?: string | null;
  doneAt?: string | null;
  callDurationSeconds?: number | null;
  callDirection?: CallDirection | null;
  contactId?: string | null;
  companyId?: string | null;
  dealId?: string | null;
  ownerUserId?: string;
  occurredAt?: string;
}

function values(w: ActivityWrite) {
  return {
    ...(w.kind !== undefined && { kind: w.kind }),
    ...(w.subject !== undefined && { subject: w.subject }),
    ...(w.body !== undefined && { body: w.body }),
    ...(w.dueAt !== undefined && { due_at: w.dueAt === null ? null : new Date(w.dueAt) }),
    ...(w.reminderAt !== undefined && { reminder_at: w.reminderAt === null ? null : new Date(w.reminderAt) }),
    ...(w.doneAt !== undefined && { done_at: w.doneAt === null ? null : new Date(w.doneAt) }),
    ...(w.callDurationSeconds !== undefined && { call_duration_seconds: w.callDurationSeconds }),
    ...(w.callDirection !== undefined && { call_direction: w.callDirection }),
    ...(w.contactId !== undefined && { contact_id: w.contactId }),
    ...(w.companyId !== undefined && { company_id: w.companyId }),
    ...(w.dealId !== undefined && { deal_id: w.dealId }),
    ...(w.ownerUserId !== undefined && { owner_user_id: w.ownerUserId }),
    ...(w.occurredAt !== undefined && { occurred_at: w.occurredAt }),
  };
}

export async function insertActivity(
  trx: Transaction<Database>,
  w: ActivityWrite & { kind: ActivityKind; ownerUserId: string },
): Promise<string> {
  const { id } = await trx
    .insertInto('activities')
    .values({ ...values(w), kind: w.kind, owner_user_id: w.ownerUserId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateActivity(trx: Transaction<Database>, id: string, w: ActivityWrite): Promise<void> {
  const rearm = w.reminderAt !== undefined ? rearmIfMoved(w.reminderAt === null ? null : new Date(w.reminderAt)) : {};
  await trx
    .updateTable('activities')
    .set({ ...values(w), ...rearm, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteActivity(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('activities').where('id', '=', id).execute();
}
