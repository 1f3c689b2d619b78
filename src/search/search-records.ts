import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { highlight } from './highlight.ts';
import { containsPattern, type SearchTerm } from './query-terms.ts';
import type { RecordCursor } from './search-cursor.ts';

export interface RecordHit {
  id: string;
  name: string;
  rank: number;
  highlight: { field: string; html: string } | null;
  [extra: string]: unknown;
}

export interface RecordPage {
  items: RecordHit[];
  /** Where the next page starts (to be encoded by the caller), or null after the last. */
  next: RecordCursor | null;
}

type RecordType = RecordCursor['t'];

/**
 * Exact name first, then names that start with the query, then by trigram similarity. Rounded to a numeric
 * so the cursor carries the exact value the next page compares with (a float4 need not survive text).
 */
function rankSql(col: string, q: string): RawBuilder<string> {
  return sql<string>`round((case when lower(${sql.ref(col)}) = ${q} then 2 when lower(${sql.ref(col)}) like ${`${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} then 1 else 0 end + similarity(${sql.ref(col)}, ${q}))::numeric, 6)`;
}

const everyTerm = (terms: SearchTerm[], one: (pattern: string) => RawBuilder<boolean>) =>
  sql.join(
    terms.map((t) => one(containsPattern(t.text))),
    sql` and `,
  );

/**
 * One keyset page of `matches` (a select with id, name and a numeric rank) in (rank desc, name, id) order:
 * limit + 1 rows are read, the extra one only says that another page exists.
 */
async function page<R extends { id: string; name: string }>(
  db: Kysely<Database>,
  type: RecordType,
  matches: RawBuilder<R>,
  limit: number,
  after?: RecordCursor,
) {
  const from = after
    ? sql<boolean>`(x.rank < ${after.r}::numeric or (x.rank = ${after.r}::numeric and (x.name, x.id) > (${after.n}, ${after.i}::uuid)))`
    : sql<boolean>`true`;
  const rows = (
    await sql<
      R & { rank_key: string }
    >`select x.*, x.rank::text as rank_key from (${matches}) x where ${from} order by x.rank desc, x.name, x.id limit ${limit + 1}`.execute(
      db,
    )
  ).rows;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next: RecordCursor | null = rows.length > limit && last ? { t: type, r: last.rank_key, n: last.name, i: last.id } : null;
  return { items, next };
}

function withHighlight<T extends { id: string; name: string; rank: unknown; rank_key: string }>(
  rows: T[],
  terms: string[],
  extra: (r: T) => Array<[string, string]>,
): RecordHit[] {
  return rows.map((row) => {
    const { rank: _numeric, rank_key, ...r } = row;
    let hl: RecordHit['highlight'] = null;
    for (const [field, text] of [['name', r.name] as [string, string], ...extra(row)]) {
      const html = highlight(text, terms);
      if (html) {
        hl = { field, html };
        break;
      }
    }
    return { ...r, rank: Math.round(Number(rank_key) * 1e4) / 1e4, highlight: hl };
  });
}

/** What a record type adds to the one search: the rows matching every term, and where else a highlight may come from. */
interface RecordSearch<R extends { id: string; name: string; rank: string }> {
  type: RecordType;
  matches(terms: SearchTerm[], q: string): RawBuilder<R>;
  highlightFrom(row: R): Array<[string, string]>;
}

async function searchRecords<R extends { id: string; name: string; rank: string }>(
  db: Kysely<Database>,
  search: RecordSearch<R>,
  terms: SearchTerm[],
  q: string,
  limit: number,
  after?: RecordCursor,
): Promise<RecordPage> {
  const { items, next } = await page(db, search.type, search.matches(terms, q), limit, after);
  return {
    items: withHighlight(
      items,
      terms.map((t) => t.text),
      search.highlightFrom,
    ),
    next,
  };
}

/*
 * Contacts by name or any address, companies by name or domain, deals by name: substring matches of every
 * term (pg_trgm GIN indexes serve patterns of 3+ characters; these tables are small next to the mail).
 * Every member reads every CRM record, so no visibility applies here.
 */
const contacts: RecordSearch<{ id: string; name: string; companyId: string | null; emails: string[]; rank: string }> = {
  type: 'contacts',
  matches: (terms, q) => sql`
    select c.id, c.name, c.company_id as "companyId",
      coalesce((select array_agg(e.address order by e.is_primary desc, e.address) from contact_emails e where e.contact_id = c.id), '{}') as emails,
      ${rankSql('c.name', q)} as rank
    from contacts c
    where ${everyTerm(terms, (p) => sql<boolean>`(c.name ilike ${p} or c.id in (select e.contact_id from contact_emails e where e.address ilike ${p}))`)}`,
  highlightFrom: (r) => [['email', r.emails.join(', ')]],
};

const companies: RecordSearch<{ id: string; name: string; domains: string[]; rank: string }> = {
  type: 'companies',
  matches: (terms, q) => sql`
    select co.id, co.name,
      coalesce((select array_agg(d.domain order by d.domain) from company_domains d where d.company_id = co.id), '{}') as domains,
      ${rankSql('co.name', q)} as rank
    from companies co
    where ${everyTerm(terms, (p) => sql<boolean>`(co.name ilike ${p} or co.id in (select d.company_id from company_domains d where d.domain ilike ${p}))`)}`,
  highlightFrom: (r) => [['domain', r.domains.join(', ')]],
};

const deals: RecordSearch<{ id: string; name: string; status: string; companyId: string | null; rank: string }> = {
  type: 'deals',
  matches: (terms, q) => sql`
    select d.id, d.name, d.status, d.company_id as "companyId", ${rankSql('d.name', q)} as rank
    from deals d
    where ${everyTerm(terms, (p) => sql<boolean>`d.name ilike ${p}`)}`,
  highlightFrom: () => [],
};

export const searchContacts = (db: Kysely<Database>, terms: SearchTerm[], q: string, limit: number, after?: RecordCursor) =>
  searchRecords(db, contacts, terms, q, limit, after);
export const searchCompanies = (db: Kysely<Database>, terms: SearchTerm[], q: string, limit: number, after?: RecordCursor) =>
  searchRecords(db, companies, terms, q, limit, after);
export const searchDeals = (db: Kysely<Database>, terms: SearchTerm[], q: string, limit: number, after?: RecordCursor) =>
  searchRecords(db, deals, terms, q, limit, after);
