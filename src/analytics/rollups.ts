import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AnalyticsScope } from './filters.ts';
import type { RollupMetric } from './tables.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** An instant a chart cuts its range at. Strict: mail at exactly that instant falls before it (an age). */
export interface Cut {
  at: number;
  strict?: boolean;
}

/**
 * How a range is read: whole UTC months, days and hours taken from the rollups, and the hours that a cut
 * splits read message by message (facts). Together they cover the range once.
 */
export interface Segments {
  month: string[];
  day: string[];
  hour: string[];
  exact: string[];
}

const monthEnd = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const isMonthStart = (t: number) => t % DAY === 0 && new Date(t).getUTCDate() === 1;

/** [start, end) split into the largest rollup units no cut falls inside; hours a cut splits are exact. */
export function segmentsOf(start: number, end: number, cuts: Cut[]): Segments {
  const inner = cuts.map((c) => c.at).sort((a, b) => a - b);
  const strict = new Set(cuts.filter((c) => c.strict).map((c) => c.at));
  const clean = (a: number, b: number) => !strict.has(a) && !inner.some((c) => c > a && c < b);
  const out: Segments = { month: [], day: [], hour: [], exact: [] };
  const iso = (t: number) => new Date(t).toISOString();
  for (let t = Math.floor(start / HOUR) * HOUR; t < end; ) {
    const whole = (unitEnd: number) => t >= start && unitEnd <= end && clean(t, unitEnd);
    if (isMonthStart(t) && whole(monthEnd(t))) {
      out.month.push(iso(t));
      t = monthEnd(t);
    } else if (t % DAY === 0 && whole(t + DAY)) {
      out.day.push(iso(t));
      t += DAY;
    } else {
      (whole(t + HOUR) ? out.hour : out.exact).push(iso(t));
      t += HOUR;
    }
  }
  return out;
}

/** The range's first and last instant, and every week (or month) boundary inside it, as epoch milliseconds. */
export async function rangeCuts(
  db: Kysely<Database>,
  scope: AnalyticsScope,
  unit?: 'week',
): Promise<{ start: number; end: number; cuts: Cut[] }> {
  const { rows } = await sql<{ start: string; end: string; bounds: string[] | null }>`
    select (extract(epoch from ${scope.start}) * 1000)::bigint::text as start,
      (extract(epoch from ${scope.end}) * 1000)::bigint::text as "end",
      ${
        unit
          ? sql`array(select (extract(epoch from (p::timestamp at time zone ${scope.tz})) * 1000)::bigint::text
              from generate_series(date_trunc('week', ${scope.filters.from}::date::timestamp) + interval '1 week',
                ${scope.filters.to}::date::timestamp, interval '1 week') p)`
          : sql`null::text[]`
      } as bounds`.execute(db);
  const r = rows[0]!;
  const start = Number(r.start);
  const end = Number(r.end);
  return { start, end, cuts: [{ at: start }, { at: end }, ...(r.bounds ?? []).map((b) => ({ at: Number(b) }))] };
}

/** What the rollup and fact readers need of a scope: the mailboxes, the blocklist and the range. */
export type FactScope = Pick<AnalyticsScope, 'mailboxIds' | 'notBlocked' | 'blocked' | 'start' | 'end'>;

/** Rollup rows of a metric over the segments, in the scope's mailboxes: `(at, mailbox_id, outbound, key, wait, n)`. */
function rollupRows(scope: FactScope, metric: RollupMetric, seg: Segments): RawBuilder<unknown> {
  const grains = (['month', 'day', 'hour'] as const).filter((g) => seg[g].length);
  if (!grains.length || !scope.mailboxIds.length) {
    return sql`select null::timestamptz as at, null::uuid as mailbox_id, null::boolean as outbound, null::uuid as key, null::interval as wait, 0::bigint as n where false`;
  }
  return sql.join(
    grains.map(
      (g) => sql`select r.at, r.mailbox_id, r.outbound, r.key, r.wait, r.n::bigint as n from mail_rollups r
        where r.metric = ${metric} and r.grain = ${g} and r.at = any(${seg[g]}::timestamptz[])
          and r.mailbox_id = any(${scope.mailboxIds}::uuid[]) and r.n <> 0`,
    ),
    sql` union all `,
  );
}

/**
 * Facts of single messages, for what the rollups cannot answer: `f` (mail_facts) joined to `m` (messages).
 * 'edges': the exact hours, minus what the blocklist hides; 'blocked': the blocked messages inside the
 * rolled-up part, which the rollups counted and the chart must take out again. Empty when none apply.
 */
function factRows(
  scope: FactScope,
  seg: Segments,
  part: 'edges' | 'blocked',
  select: RawBuilder<unknown>,
  where: RawBuilder<boolean> = sql`true`,
): RawBuilder<unknown> | null {
  if (!scope.mailboxIds.length) return null;
  const inRange = sql`f.date >= ${scope.start} and f.date < ${scope.end}`;
  if (part === 'edges') {
    if (!seg.exact.length) return null;
    return sql`select ${select} from unnest(${seg.exact}::timestamptz[]) h(at)
      join mail_facts f on f.mailbox_id = any(${scope.mailboxIds}::uuid[]) and f.date >= h.at and f.date < h.at + interval '1 hour'
      join messages m on m.id = f.message_id
      where ${inRange} and ${scope.notBlocked} and ${where}`;
  }
  if (!scope.blocked) return null;
  // The range on m.date too (the facts' date is the message's): the blocked messages outside it are passed
  // over as they are read, before each is looked up in mail_facts.
  return sql`select ${select} from messages m join mail_facts f on f.message_id = m.id
    where m.mailbox_id = any(${scope.mailboxIds}::uuid[]) and ${scope.blocked} and ${inRange}
      and m.date >= ${scope.start} and m.date < ${scope.end}
      and date_bin('1 hour', f.date, timestamptz '2000-01-01 00:00+00') <> all(${seg.exact}::timestamptz[])
      and ${where}`;
}

/** The columns of a rollup row besides its count `n` (see rollupRows). */
type RollupColumn = 'at' | 'mailbox_id' | 'outbound' | 'key' | 'wait';

/**
 * A metric's rows over the segments: its rollups, plus the facts of the exact hours, minus the blocked
 * messages the rollups counted; one `union all` of `(<columns>, n)` rows. `columns` names the rollup
 * columns wanted, each with its value in a fact row (`f`, `m`); `where` picks the facts that count.
 */
export function metricRows(
  scope: FactScope,
  seg: Segments,
  metric: RollupMetric,
  columns: Partial<Record<RollupColumn, RawBuilder<unknown>>>,
  where: RawBuilder<boolean>,
): RawBuilder<unknown> {
  const names = Object.keys(columns) as RollupColumn[];
  const fact = sql.join(names.map((c) => sql`${columns[c]} as ${sql.ref(c)}`));
  const edges = factRows(scope, seg, 'edges', sql`${fact}, 1::bigint as n`, where);
  const blocked = factRows(scope, seg, 'blocked', sql`${fact}, -1::bigint as n`, where);
  const rollups = sql`select ${sql.join(names.map((c) => sql.ref(`r.${c}`)))}, r.n from (${rollupRows(scope, metric, seg)}) r`;
  return sql.join([rollups, ...(edges ? [edges] : []), ...(blocked ? [blocked] : [])], sql` union all `);
}
