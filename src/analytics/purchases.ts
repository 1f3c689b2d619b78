import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type AnalyticsScope, ownedBy, periodsOf } from './filters.ts';

/** Purchases dated in the range (purchased_on is a calendar day: no time zone applies) of the chosen owners. */
const inRange = (scope: AnalyticsScope) =>
  sql<boolean>`p.purchased_on >= ${scope.filters.from}::date and p.purchased_on <= ${scope.filters.to}::date and ${ownedBy(scope, 'p.owner_user_id')}`;

export interface MonthRevenue {
  /** The month's 1st, YYYY-MM-01. */
  month: string;
  currency: string;
  count: number;
  amount: string;
}

/** Purchase revenue per month and currency; every month of the range for each currency that has any. */
export async function revenuePerMonth(db: Kysely<Database>, scope: AnalyticsScope): Promise<MonthRevenue[]> {
  const rows = await sql<{ month: string; currency: string; count: string; amount: string }>`
    with p as (
      select date_trunc('month', p.purchased_on)::date::text as month, p.currency, p.amount
      from purchases p where ${inRange(scope)}
    ), sums as (
      select month, currency, count(*) as count, sum(amount) as amount from p group by month, currency
    )
    select m.period as month, c.currency, coalesce(s.count, 0)::text as count, coalesce(s.amount, 0)::text as amount
    from (${periodsOf(scope, 'month')}) m
    cross join (select distinct currency from p) c
    left join sums s on s.month = m.period and s.currency = c.currency
    order by m.period, c.currency`.execute(db);
  return rows.rows.map((r) => ({ month: r.month, currency: r.currency, count: Number(r.count), amount: r.amount }));
}

export interface CustomerRevenue {
  kind: 'company' | 'contact';
  id: string;
  name: string;
  currency: string;
  count: number;
  amount: string;
}

/**
 * The customers who bought most in the range, per currency (the `limit` largest of each). A purchase
 * belongs to its company, else to its contact's company, else to its contact.
 */
export async function topCustomers(db: Kysely<Database>, scope: AnalyticsScope, limit = 10): Promise<CustomerRevenue[]> {
  const rows = await sql<{ kind: 'company' | 'contact'; id: string; name: string; currency: string; count: string; amount: string }>`
    with p as (
      select coalesce(p.company_id, c.company_id) as company_id, p.contact_id, p.currency, p.amount
      from purchases p left join contacts c on c.id = p.contact_id
      where ${inRange(scope)}
    ), g as (
      select case when company_id is not null then 'company' else 'contact' end as kind,
        coalesce(company_id, contact_id) as id, currency, count(*) as count, sum(amount) as amount
      from p where coalesce(company_id, contact_id) is not null
      group by 1, 2, 3
    ), named as (
      select g.*, coalesce(co.name, ct.name) as name,
        row_number() over (partition by g.currency order by g.amount desc, coalesce(co.name, ct.name), g.id) as rank
      from g
      left join companies co on g.kind = 'company' and co.id = g.id
      left join contacts ct on g.kind = 'contact' and ct.id = g.id
    )
    select kind, id, name, currency, count::text as count, amount::text as amount
    from named where rank <= ${limit}
    order by currency, rank`.execute(db);
  return rows.rows.map((r) => ({ ...r, count: Number(r.count) }));
}
