import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { insertRow, updateRow } from '../shared/rows.ts';
import { definedColumns } from '../shared/columns.ts';
import { type Cursor, escapeLike, keysetPage, sortKey, type SortField, type SortSpec, whereEquals } from '../shared/keyset.ts';
import type { DealStatus } from '../tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface DealRow {
  id: string;
  name: string;
  company_id: string | null;
  amount: string;
  currency: string;
  stage_id: string;
  expected_close_date: string | null;
  owner_user_id: string;
  status: DealStatus;
  lost_reason: string | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  contact_ids: string[];
}

export const dealSortFields: Record<string, SortField> = {
  name: { column: 'd.name', cast: 'text' },
  amount: { column: 'd.amount', cast: 'numeric' },
  createdAt: { column: 'd.created_at', cast: 'timestamptz' },
  updatedAt: { column: 'd.updated_at', cast: 'timestamptz' },
};

/** The select every read of the resource starts from. */
export function selectDeals(db: Db) {
  return db.selectFrom('deals as d').select([
    'd.id',
    'd.name',
    'd.company_id',
    'd.currency',
    'd.stage_id',
    'd.owner_user_id',
    'd.status',
    'd.lost_reason',
    'd.closed_at',
    'd.created_at',
    'd.updated_at',
    // Text casts: the drivers would turn numeric into a float-prone value and date into a local-midnight Date.
    sql<string>`d.amount::text`.as('amount'),
    sql<string | null>`d.expected_close_date::text`.as('expected_close_date'),
    sql<
      string[]
    >`coalesce((select jsonb_agg(dc.contact_id order by dc.contact_id) from deal_contacts dc where dc.deal_id = d.id), '[]'::jsonb)`.as(
      'contact_ids',
    ),
  ]);
}

export function findDeal(db: Db, id: string): Promise<DealRow | undefined> {
  return selectDeals(db).where('d.id', '=', id).executeTakeFirst();
}

export interface DealFilters {
  q?: string;
  stageId?: string;
  status?: DealStatus;
  ownerId?: string;
  companyId?: string;
  contactId?: string;
}

export async function listDeals(db: Db, filters: DealFilters, spec: SortSpec, cursor: Cursor | null, limit: number) {
  let query = selectDeals(db).select(sortKey(spec).as('sort_key'));
  if (filters.q) query = query.where('d.name', 'ilike', `%${escapeLike(filters.q)}%`);
  query = whereEquals(query, {
    'd.stage_id': filters.stageId,
    'd.status': filters.status,
    'd.owner_user_id': filters.ownerId,
    'd.company_id': filters.companyId,
  });
  if (filters.contactId)
    query = query.where(
      sql<boolean>`exists (select 1 from deal_contacts dc where dc.deal_id = d.id and dc.contact_id = ${filters.contactId})`,
    );
  return keysetPage(query, spec, cursor, limit);
}

export interface DealWrite {
  name?: string;
  companyId?: string | null;
  amount?: string;
  currency?: string;
  stageId?: string;
  expectedCloseDate?: string | null;
  ownerUserId?: string;
  status?: DealStatus;
  lostReason?: string | null;
  closedAt?: Date | null;
}

function dealColumns<W extends DealWrite>(w: W) {
  return definedColumns(w, [
    'name',
    'companyId',
    'amount',
    'currency',
    'stageId',
    'expectedCloseDate',
    'ownerUserId',
    'status',
    'lostReason',
    'closedAt',
  ]);
}

export function insertDeal(
  trx: Transaction<Database>,
  w: Required<Pick<DealWrite, 'name' | 'currency' | 'stageId' | 'ownerUserId' | 'status'>> & DealWrite,
): Promise<string> {
  return insertRow(trx, 'deals', dealColumns(w));
}

export async function updateDeal(trx: Transaction<Database>, id: string, w: DealWrite): Promise<void> {
  await updateRow(trx, 'deals', id, dealColumns(w));
}

export async function replaceDealContacts(trx: Transaction<Database>, dealId: string, contactIds: string[]): Promise<void> {
  await trx.deleteFrom('deal_contacts').where('deal_id', '=', dealId).execute();
  const unique = [...new Set(contactIds)];
  if (unique.length)
    await trx
      .insertInto('deal_contacts')
      .values(unique.map((contact_id) => ({ deal_id: dealId, contact_id })))
      .execute();
}

export async function deleteDeal(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('deals').where('id', '=', id).execute();
}
