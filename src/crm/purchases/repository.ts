import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { insertRow, updateRow } from '../shared/rows.ts';
import { definedColumns, toJson } from '../shared/columns.ts';
import { type Cursor, keysetPage, sortKey, type SortField, type SortSpec, whereEquals } from '../shared/keyset.ts';
import type { PurchaseItem } from '../tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface PurchaseRow {
  id: string;
  company_id: string | null;
  contact_id: string | null;
  purchased_on: string;
  items: PurchaseItem[];
  amount: string;
  currency: string;
  owner_user_id: string;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
}

export const purchaseSortFields: Record<string, SortField> = {
  purchasedOn: { column: 'p.purchased_on', cast: 'date' },
  amount: { column: 'p.amount', cast: 'numeric' },
  createdAt: { column: 'p.created_at', cast: 'timestamptz' },
};

/** The select every read of the resource starts from. */
export function selectPurchases(db: Db) {
  return db
    .selectFrom('purchases as p')
    .select([
      'p.id',
      'p.company_id',
      'p.contact_id',
      'p.items',
      'p.currency',
      'p.owner_user_id',
      'p.notes',
      'p.created_at',
      'p.updated_at',
      sql<string>`p.purchased_on::text`.as('purchased_on'),
      sql<string>`p.amount::text`.as('amount'),
    ]);
}

export function findPurchase(db: Db, id: string): Promise<PurchaseRow | undefined> {
  return selectPurchases(db).where('p.id', '=', id).executeTakeFirst();
}

export interface PurchaseFilters {
  companyId?: string;
  contactId?: string;
  ownerId?: string;
}

export async function listPurchases(db: Db, filters: PurchaseFilters, spec: SortSpec, cursor: Cursor | null, limit: number) {
  const query = whereEquals(selectPurchases(db).select(sortKey(spec).as('sort_key')), {
    'p.company_id': filters.companyId,
    'p.contact_id': filters.contactId,
    'p.owner_user_id': filters.ownerId,
  });
  return keysetPage(query, spec, cursor, limit);
}

export interface PurchaseWrite {
  companyId?: string | null;
  contactId?: string | null;
  purchasedOn?: string;
  items?: PurchaseItem[];
  amount?: string;
  currency?: string;
  ownerUserId?: string;
  notes?: string | null;
}

function purchaseColumns<W extends PurchaseWrite>(w: W) {
  return definedColumns(w, ['companyId', 'contactId', 'purchasedOn', 'items', 'amount', 'currency', 'ownerUserId', 'notes'], {
    items: toJson,
  });
}

export function insertPurchase(
  trx: Transaction<Database>,
  w: Required<Pick<PurchaseWrite, 'purchasedOn' | 'amount' | 'currency' | 'ownerUserId'>> & PurchaseWrite,
): Promise<string> {
  return insertRow(trx, 'purchases', purchaseColumns(w));
}

export async function updatePurchase(trx: Transaction<Database>, id: string, w: PurchaseWrite): Promise<void> {
  await updateRow(trx, 'purchases', id, purchaseColumns(w));
}

export async function deletePurchase(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('purchases').where('id', '=', id).execute();
}
