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

/**
 * Contacts by name or any address, companies by name or domain, deals by name: substring matches of every
 * term (pg_trgm GIN indexes serve patterns of 3+ characters; these tables are small next to the mail).
 * Every member reads every CRM record, so no visibility applies here.
 */
export async function searchContacts(
  db: Kysely<Database>,
  terms: SearchTerm[],
  q: string,
  limit: number,
  after?: RecordCursor,
): Promise<RecordPage> {
  const { items, next } = await page(
    db,
    'contacts',
    sql<{ id: string; name: string; company_id: string | null; emails: string[]; rank: string }>`
    select c.id, c.name, c.company_id,
      coalesce((select array_agg(e.address order by e.is_primary desc, e.address) from contact_emails e where e.contact_id = c.id), '{}') as emails,
      ${rankSql('c.name', q)} as rank
    from contacts c
    where ${everyTerm(terms, (p) => sql<boolean>`(c.name ilike ${p} or c.id in (select e.contact_id from contact_emails e where e.address ilike ${p}))`)}`,
    limit,
    after,
  );
  const hits = withHighlight(
    items,
    terms.map((t) => t.text),
    (r) => [['email', r.emails.join(', ')]],
  ).map(({ company_id, ...h }) => ({ ...h, companyId: company_id }));
  return { items: hits, next };
}

export async function searchCompanies(
  db: Kysely<Database>,
  terms: SearchTerm[],
  q: string,
  limit: number,
  after?: RecordCursor,
): Promise<RecordPage> {
  const { items, next } = await page(
    db,
    'companies',
    sql<{ id: string; name: string; domains: string[]; rank: string }>`
    select co.id, co.name,
      coalesce((select array_agg(d.domain order by d.domain) from company_domains d where d.company_id = co.id), '{}') as domains,
      ${rankSql('co.name', q)} as rank
    from companies co
    where ${everyTerm(terms, (p) => sql<boolean>`(co.name ilike ${p} or co.id in (select d.company_id from company_domains d where d.domain ilike ${p}))`)}`,
    limit,
    after,
  );
  return {
    items: withHighlight(
      items,
      terms.map((t) => t.text),
      (r) => [['domain', r.domains.join(', ')]],
    ),
    next,
  };
}

export async function searchDeals(
  db: Kysely<Database>,
  terms: SearchTerm[],
  q: string,
  limit: number,
  after?: RecordCursor,
): Promise<RecordPage> {
  const { items, next } = await page(
    db,
    'deals',
    sql<{ id: string; name: string; status: string; company_id: string | null; rank: string }>`
    select d.id, d.name, d.status, d.company_id, ${rankSql('d.name', q)} as rank
    from deals d
    where ${everyTerm(terms, (p) => sql<boolean>`d.name ilike ${p}`)}`,
    limit,
    after,
  );
  const hits = withHighlight(
    items,
    terms.map((t) => t.text),
    () => [],
  ).map(({ company_id, ...h }) => ({ ...h, companyId: company_id }));
  return { items: hits, next };
}
