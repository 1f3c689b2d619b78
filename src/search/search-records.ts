import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { highlight } from './highlight.ts';
import { containsPattern, type SearchTerm } from './query-terms.ts';

export interface RecordHit {
  id: string;
  name: string;
  rank: number;
  highlight: { field: string; html: string } | null;
  [extra: string]: unknown;
}

/** Exact name first, then names that start with the query, then by trigram similarity. */
function rankSql(col: string, q: string): RawBuilder<number> {
  return sql<number>`(case when lower(${sql.ref(col)}) = ${q} then 2 when lower(${sql.ref(col)}) like ${`${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} then 1 else 0 end + similarity(${sql.ref(col)}, ${q}))`;
}

const everyTerm = (terms: SearchTerm[], one: (pattern: string) => RawBuilder<boolean>) => sql.join(terms.map((t) => one(containsPattern(t.text))), sql` and `);

function withHighlight<T extends { id: string; name: string; rank: number }>(rows: T[], terms: string[], extra: (r: T) => Array<[string, string]>): RecordHit[] {
  return rows.map((r) => {
    let hl: RecordHit['highlight'] = null;
    for (const [field, text] of [['name', r.name] as [string, string], ...extra(r)]) {
      const html = highlight(text, terms);
      if (html) { hl = { field, html }; break; }
    }
    return { ...r, rank: Math.round(Number(r.rank) * 1e4) / 1e4, highlight: hl };
  });
}

/**
 * Contacts by name or any address, companies by name or domain, deals by name: substring matches of every
 * term (pg_trgm GIN indexes serve patterns of 3+ characters; these tables are small next to the mail).
 * Every member reads every CRM record, so no visibility applies here.
 */
export async function searchContacts(db: Kysely<Database>, terms: SearchTerm[], q: string, limit: number): Promise<RecordHit[]> {
  const rows = await sql<{ id: string; name: string; company_id: string | null; emails: string[]; rank: number }>`
    select c.id, c.name, c.company_id,
      coalesce((select array_agg(e.address order by e.is_primary desc, e.address) from contact_emails e where e.contact_id = c.id), '{}') as emails,
      ${rankSql('c.name', q)} as rank
    from contacts c
    where ${everyTerm(terms, (p) => sql<boolean>`(c.name ilike ${p} or c.id in (select e.contact_id from contact_emails e where e.address ilike ${p}))`)}
    order by rank desc, c.name, c.id limit ${limit}`.execute(db);
  return withHighlight(rows.rows, terms.map((t) => t.text), (r) => [['email', r.emails.join(', ')]])
    .map(({ company_id, ...h }) => ({ ...h, companyId: company_id }));
}

export async function searchCompanies(db: Kysely<Database>, terms: SearchTerm[], q: string, limit: number): Promise<RecordHit[]> {
  const rows = await sql<{ id: string; name: string; domains: string[]; rank: number }>`
    select co.id, co.name,
      coalesce((select array_agg(d.domain order by d.domain) from company_domains d where d.company_id = co.id), '{}') as domains,
      ${rankSql('co.name', q)} as rank
    from companies co
    where ${everyTerm(terms, (p) => sql<boolean>`(co.name ilike ${p} or co.id in (select d.company_id from company_domains d where d.domain ilike ${p}))`)}
    order by rank desc, co.name, co.id limit ${limit}`.execute(db);
  return withHighlight(rows.rows, terms.map((t) => t.text), (r) => [['domain', r.domains.join(', ')]]);
}

export async function searchDeals(db: Kysely<Database>, terms: SearchTerm[], q: string, limit: number): Promise<RecordHit[]> {
  const rows = await sql<{ id: string; name: string; status: string; company_id: string | null; rank: number }>`
    select d.id, d.name, d.status, d.company_id, ${rankSql('d.name', q)} as rank
    from deals d
    where ${everyTerm(terms, (p) => sql<boolean>`d.name ilike ${p}`)}
    order by rank desc, d.name, d.id limit ${limit}`.execute(db);
  return withHighlight(rows.rows, terms.map((t) => t.text), () => [])
    .map(({ company_id, ...h }) => ({ ...h, companyId: company_id }));
}
