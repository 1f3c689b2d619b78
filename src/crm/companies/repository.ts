import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { CrmEvent } from '../events.ts';
import { insertRow, updateRow } from '../shared/rows.ts';
import { definedColumns } from '../shared/columns.ts';
import { type Cursor, escapeLike, keysetPage, sortKey, type SortField, type SortSpec, whereEquals } from '../shared/keyset.ts';
import type { Company } from '../tables.ts';
import { replaceDomains } from './domains.ts';

export type CompanyRow = Company & { domains: string[] };

export const companySortFields: Record<string, SortField> = {
  name: { column: 'co.name', cast: 'text' },
  createdAt: { column: 'co.created_at', cast: 'timestamptz' },
  updatedAt: { column: 'co.updated_at', cast: 'timestamptz' },
};

function selectCompanies(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom('companies as co')
    .select([
      'co.id',
      'co.name',
      'co.industry',
      'co.owner_user_id',
      'co.notes',
      'co.created_at',
      'co.updated_at',
      sql<
        string[]
      >`coalesce((select jsonb_agg(d.domain order by d.domain) from company_domains d where d.company_id = co.id), '[]'::jsonb)`.as(
        'domains',
      ),
    ]);
}

export function findCompany(db: Kysely<Database> | Transaction<Database>, id: string): Promise<CompanyRow | undefined> {
  return selectCompanies(db).where('co.id', '=', id).executeTakeFirst();
}

export interface CompanyFilters {
  q?: string;
  ownerId?: string;
  domain?: string;
}

export async function listCompanies(db: Kysely<Database>, filters: CompanyFilters, spec: SortSpec, cursor: Cursor | null, limit: number) {
  let query = selectCompanies(db).select(sortKey(spec).as('sort_key'));
  if (filters.q) {
    const like = `%${escapeLike(filters.q)}%`;
    query = query.where(
      sql<boolean>`(co.name ilike ${like} or exists (select 1 from company_domains d where d.company_id = co.id and d.domain like ${like.toLowerCase()}))`,
    );
  }
  query = whereEquals(query, { 'co.owner_user_id': filters.ownerId });
  if (filters.domain)
    query = query.where(
      sql<boolean>`exists (select 1 from company_domains d where d.company_id = co.id and d.domain = ${filters.domain.toLowerCase()})`,
    );
  return keysetPage(query, spec, cursor, limit);
}

export interface CompanyInput {
  name: string;
  industry: string | null;
  notes: string | null;
  ownerUserId: string;
  domains: string[];
}

/** The company's own columns; its domains live in company_domains. */
function companyColumns<W extends Partial<CompanyInput>>(w: W) {
  return definedColumns(w, ['name', 'industry', 'notes', 'ownerUserId']);
}

export async function insertCompany(trx: Transaction<Database>, input: CompanyInput): Promise<{ id: string; events: CrmEvent[] }> {
  const id = await insertRow(trx, 'companies', companyColumns(input));
  const events = await replaceDomains(trx, id, input.domains);
  return { id, events };
}

export async function updateCompany(trx: Transaction<Database>, id: string, patch: Partial<CompanyInput>): Promise<CrmEvent[]> {
  await updateRow(trx, 'companies', id, companyColumns(patch));
  return patch.domains ? replaceDomains(trx, id, patch.domains) : [];
}

export async function deleteCompany(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('companies').where('id', '=', id).execute();
}

/** Case-insensitive exact name match, for imports that name a company ("Acme" finds "ACME"). */
export async function findCompanyIdByName(db: Kysely<Database> | Transaction<Database>, name: string): Promise<string | null> {
  const row = await db
    .selectFrom('companies')
    .select('id')
    .where(sql`lower(name)`, '=', name.trim().toLowerCase())
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}
