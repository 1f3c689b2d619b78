import { type Kysely, sql } from 'kysely';
import type { StageKind, StageName } from '../crm/tables.ts';
import type { Database } from '../db/schema.ts';
import { type AnalyticsScope, ownedBy, periodsOf } from './filters.ts';

/**
 * Stages have no probability of their own, so the forecast weighs an open deal by where its stage stands
 * among the open stages: the k-th of n open stages (in pipeline order) weighs k/(n+1); won weighs 1, lost 0.
 * With the default five open stages: 1/6, 2/6, … 5/6.
 */
const stageWeights = sql`(
  select s.id, s.name, s.kind, s.position,
    case s.kind
      when 'won' then 1::numeric
      when 'lost' then 0::numeric
      else (row_number() over (partition by s.kind order by s.position, s.id))::numeric
        / (count(*) over (partition by s.kind) + 1)
    end as weight
  from pipeline_stages s
)`;

export interface StageValue {
  stageId: string;
  name: StageName;
  kind: StageKind;
  /** The weight the forecast gives the stage (0..1, 4 decimals). */
  probability: number;
  /** Null on a stage with no deals (one row per stage then). */
  currency: string | null;
  count: number;
  amount: string;
  weighted: string;
}

/** Deals now in each stage, per currency (amounts in different currencies are never added). */
export async function pipelineByStage(db: Kysely<Database>, scope: AnalyticsScope): Promise<StageValue[]> {
  const rows = await sql<{
    id: string;
    name: StageName;
    kind: StageKind;
    weight: string;
    currency: string | null;
    count: string;
    amount: string | null;
    weighted: string | null;
  }>`
    select s.id, s.name, s.kind, s.weight::text as weight, d.currency, count(d.id)::text as count,
      sum(d.amount)::text as amount, round(sum(d.amount) * s.weight, 2)::text as weighted
    from ${stageWeights} s
    left join deals d on d.stage_id = s.id and ${ownedBy(scope, 'd.owner_user_id')}
    group by s.id, s.name, s.kind, s.position, s.weight, d.currency
    order by s.position, s.id, d.currency`.execute(db);
  return rows.rows.map((r) => ({
    stageId: r.id,
    name: r.name,
    kind: r.kind,
    probability: Math.round(Number(r.weight) * 10_000) / 10_000,
    currency: r.currency,
    count: Number(r.count),
    amount: r.amount ?? '0',
    weighted: r.weighted ?? '0',
  }));
}

export interface WeekPipeline {
  week: string;
  currency: string;
  /** Deals open at the end of the week (created before it ended, not closed by then). */
  open: string;
  /** Deals won (closed in a won stage) during the week. */
  won: string;
  lost: string;
}

/**
 * Pipeline value over time, per week of the range and currency. Deals keep no history of their amount or
 * stage, so each week uses the deal's current amount with its created and closed times: a deal that was
 * reopened counts as open since it was created.
 */
export async function pipelineOverTime(db: Kysely<Database>, scope: AnalyticsScope): Promise<WeekPipeline[]> {
  // Open value at a week's end = the deals created before it minus those closed (not before their creation)
  // before it: a running sum of those events per week, so the cost grows with deals plus weeks, not their product.
  const week = (column: string) => sql`date_trunc('week', ${sql.ref(column)} at time zone ${scope.tz})::date::text`;
  const rows = await sql<WeekPipeline>`
    with w as (
      select p.period as week, (p.period::date)::timestamp at time zone ${scope.tz} as starts
      from (${periodsOf(scope, 'week')}) p
    ), d as (
      select d.currency, d.amount, d.status, d.created_at, case when d.closed_at is not null then greatest(d.created_at, d.closed_at) end as closed_at
      from deals d where ${ownedBy(scope, 'd.owner_user_id')}
    ), ev as (
      select currency, created_at as at, amount as delta from d
      union all
      select currency, closed_at, -amount from d where closed_at is not null
    ), opening as (
      select ev.currency, sum(ev.delta) as v from ev where ev.at < (select min(starts) from w) group by ev.currency
    ), moves as (
      select ev.currency, ${week('ev.at')} as week, sum(ev.delta) as v from ev group by 1, 2
    ), closes as (
      select d.currency, ${week('d.closed_at')} as week,
        sum(d.amount) filter (where d.status = 'won') as won, sum(d.amount) filter (where d.status = 'lost') as lost
      from d where d.closed_at is not null group by 1, 2
    )
    select w.week, c.currency,
      (coalesce(o.v, 0) + sum(coalesce(m.v, 0)) over (partition by c.currency order by w.week))::text as open,
      coalesce(cl.won, 0)::text as won, coalesce(cl.lost, 0)::text as lost
    from w cross join (select distinct currency from d) c
    left join opening o on o.currency = c.currency
    left join moves m on m.week = w.week and m.currency = c.currency
    left join closes cl on cl.week = w.week and cl.currency = c.currency
    order by w.week, c.currency`.execute(db);
  return rows.rows;
}

export interface MonthWins {
  month: string;
  won: number;
  lost: number;
  /** won / (won + lost), 4 decimals; null when nothing closed. */
  winRate: number | null;
}

const rate = (won: number, lost: number) => (won + lost ? Math.round((won / (won + lost)) * 10_000) / 10_000 : null);

/** Win rate of the deals closed (won or lost) in the range, per month of closing and overall. */
export async function winRate(
  db: Kysely<Database>,
  scope: AnalyticsScope,
): Promise<{ items: MonthWins[]; summary: { won: number; lost: number; winRate: number | null } }> {
  const rows = await sql<{ month: string; won: string; lost: string }>`
    with c as (
      select date_trunc('month', d.closed_at at time zone ${scope.tz})::date::text as month, d.status
      from deals d
      where d.status in ('won', 'lost') and d.closed_at >= ${scope.start} and d.closed_at < ${scope.end}
        and ${ownedBy(scope, 'd.owner_user_id')}
    )
    select m.period as month,
      count(c.status) filter (where c.status = 'won')::text as won,
      count(c.status) filter (where c.status = 'lost')::text as lost
    from (${periodsOf(scope, 'month')}) m left join c on c.month = m.period
    group by m.period order by m.period`.execute(db);
  const items = rows.rows.map((r) => {
    const won = Number(r.won);
    const lost = Number(r.lost);
    return { month: r.month, won, lost, winRate: rate(won, lost) };
  });
  const won = items.reduce((n, i) => n + i.won, 0);
  const lost = items.reduce((n, i) => n + i.lost, 0);
  return { items, summary: { won, lost, winRate: rate(won, lost) } };
}

/** How many months ahead the forecast names one by one; later expected dates are summed as `later`. */
export const FORECAST_MONTHS = 6;

export interface ForecastRow {
  /** `overdue` (expected before this month), a month's 1st (YYYY-MM-01), `later`, or `unscheduled` (no date). */
  period: string;
  currency: string;
  count: number;
  amount: string;
  weighted: string;
}

/**
 * Open deals by the month they are expected to close, with their amount weighted by their stage (see
 * stageWeights). This month and the next FORECAST_MONTHS − 1; the range filter does not apply (a
 * forecast looks ahead), the owner and team filters do.
 */
export async function forecast(db: Kysely<Database>, scope: AnalyticsScope, now = new Date()): Promise<ForecastRow[]> {
  const rows = await sql<{ period: string; currency: string; count: string; amount: string; weighted: string }>`
    with t as (select date_trunc('month', ${now.toISOString()}::timestamptz at time zone ${scope.tz})::date as this_month),
    d as (
      select d.currency, d.amount, s.weight,
        case
          when d.expected_close_date is null then 'unscheduled'
          when d.expected_close_date < t.this_month then 'overdue'
          when d.expected_close_date >= (t.this_month + make_interval(months => ${FORECAST_MONTHS}))::date then 'later'
          else date_trunc('month', d.expected_close_date)::date::text
        end as period
      from deals d join ${stageWeights} s on s.id = d.stage_id cross join t
      where d.status = 'open' and ${ownedBy(scope, 'd.owner_user_id')}
    )
    select period, currency, count(*)::text as count, sum(amount)::text as amount, round(sum(amount * weight), 2)::text as weighted
    from d group by period, currency`.execute(db);
  const order = (p: string) => (p === 'overdue' ? '0' : p === 'later' ? '2' : p === 'unscheduled' ? '3' : `1${p}`);
  return rows.rows
    .map((r) => ({ period: r.period, currency: r.currency, count: Number(r.count), amount: r.amount, weighted: r.weighted }))
    .sort((a, b) => order(a.period).localeCompare(order(b.period)) || a.currency.localeCompare(b.currency));
}
