import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { rearmIfMoved } from '../reminders/repository.ts';
import { insertRow, updateRow } from '../shared/rows.ts';
import { definedColumns, toDate } from '../shared/columns.ts';
import { type Cursor, keysetPage, sortKey, type SortField, type SortSpec, whereEquals } from '../shared/keyset.ts';
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
  query = whereEquals(query, {
    'a.kind': filters.kind,
    'a.contact_id': filters.contactId,
    'a.company_id': filters.companyId,
    'a.deal_id': filters.dealId,
    'a.owner_user_id': filters.ownerId,
  });
  if (filters.open !== undefined) query = query.where('a.kind', '=', 'task').where('a.done_at', filters.open ? 'is' : 'is not', null);
  return keysetPage(query, spec, cursor, limit);
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

const activityFields = [
  'kind',
  'subject',
  'body',
  'dueAt',
  'reminderAt',
  'doneAt',
  'callDurationSeconds',
  'callDirection',
  'contactId',
  'companyId',
  'dealId',
  'ownerUserId',
  'occurredAt',
] as const;

function activityColumns<W extends ActivityWrite>(w: W) {
  return definedColumns(w, activityFields, { dueAt: toDate, reminderAt: toDate, doneAt: toDate });
}

export function insertActivity(
  trx: Transaction<Database>,
  w: ActivityWrite & { kind: ActivityKind; ownerUserId: string },
): Promise<string> {
  return insertRow(trx, 'activities', activityColumns(w));
}

export async function updateActivity(trx: Transaction<Database>, id: string, w: ActivityWrite): Promise<void> {
  const rearm = w.reminderAt !== undefined ? rearmIfMoved(w.reminderAt === null ? null : new Date(w.reminderAt)) : {};
  await updateRow(trx, 'activities', id, { ...activityColumns(w), ...rearm });
}

export async function deleteActivity(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('activities').where('id', '=', id).execute();
}
