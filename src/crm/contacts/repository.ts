import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { insertRow, updateRow } from '../shared/rows.ts';
import { definedColumns, toJson } from '../shared/columns.ts';
import { type Cursor, escapeLike, keysetPage, sortKey, type SortField, type SortSpec, whereEquals } from '../shared/keyset.ts';
import type { Contact, Phone } from '../tables.ts';

export interface ContactEmail {
  id: string;
  address: string;
  isPrimary: boolean;
}

export type ContactRow = Contact & { emails: ContactEmail[]; company_name: string | null };

export const contactSortFields: Record<string, SortField> = {
  name: { column: 'c.name', cast: 'text' },
  createdAt: { column: 'c.created_at', cast: 'timestamptz' },
  updatedAt: { column: 'c.updated_at', cast: 'timestamptz' },
};

type Db = Kysely<Database> | Transaction<Database>;

function selectContacts(db: Db) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .selectAll('c')
    .select([
      'co.name as company_name',
      // Primary first, then in the order they were added.
      sql<
        ContactEmail[]
      >`coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'address', e.address, 'isPrimary', e.is_primary) order by e.is_primary desc, e.created_at, e.address) from contact_emails e where e.contact_id = c.id), '[]'::jsonb)`.as(
        'emails',
      ),
    ]);
}

export function findContact(db: Db, id: string): Promise<ContactRow | undefined> {
  return selectContacts(db).where('c.id', '=', id).executeTakeFirst();
}

export interface ContactFilters {
  q?: string;
  companyId?: string;
  ownerId?: string;
  tag?: string;
}

/** Lists contacts; `q` is a substring of the name (any script: 张三 finds 张三丰) or of an address. */
export async function listContacts(db: Db, filters: ContactFilters, spec: SortSpec, cursor: Cursor | null, limit: number) {
  let query = selectContacts(db).select(sortKey(spec).as('sort_key'));
  if (filters.q) {
    const like = `%${escapeLike(filters.q)}%`;
    query = query.where(
      sql<boolean>`(c.name ilike ${like} or exists (select 1 from contact_emails e where e.contact_id = c.id and e.address like ${like.toLowerCase()}))`,
    );
  }
  query = whereEquals(query, { 'c.company_id': filters.companyId, 'c.owner_user_id': filters.ownerId });
  if (filters.tag) query = query.where(sql<boolean>`c.tags @> array[${filters.tag}]::text[]`);
  return keysetPage(query, spec, cursor, limit);
}

export interface ContactInput {
  name: string;
  companyId: string | null;
  title: string | null;
  phones: Phone[];
  ownerUserId: string;
  tags: string[];
  notes: string | null;
}

function contactColumns<W extends Partial<ContactInput>>(w: W) {
  return definedColumns(w, ['name', 'companyId', 'title', 'phones', 'ownerUserId', 'tags', 'notes'], { phones: toJson });
}

export function insertContact(trx: Transaction<Database>, input: ContactInput): Promise<string> {
  return insertRow(trx, 'contacts', contactColumns(input));
}

export async function updateContact(trx: Transaction<Database>, id: string, patch: Partial<ContactInput>): Promise<void> {
  await updateRow(trx, 'contacts', id, contactColumns(patch));
}

export async function deleteContact(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('contacts').where('id', '=', id).execute();
}

/** Tags are trimmed, deduplicated and kept in the order given. */
export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}
