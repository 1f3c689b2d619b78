import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type AnalyticsScope, bucketOf, periodsOf } from './filters.ts';
import { metricRows, rangeCuts, segmentsOf } from './rollups.ts';

export interface WeekReplies {
  week: string;
  /** Conversations a customer opened that week (their first inbound message). */
  conversations: number;
  /** Of those, how many have a reply from the mailbox yet. */
  answered: number;
  /** Median minutes from the customer's first message to the first reply; null when none was answered. */
  medianMinutes: number | null;
}

export interface FirstReplies {
  items: WeekReplies[];
  summary: { conversations: number; answered: number; medianMinutes: number | null };
}

const minutes = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** PostgreSQL's percentile_cont(0.5) over values given with how often each occurs, computed the same way. */
export function weightedMedian(values: Array<{ value: number; count: number }>): number | null {
  const sorted = values.filter((v) => v.count > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, v) => sum + v.count, 0);
  if (!total) return null;
  const position = 0.5 * (total - 1);
  const nth = (k: number) => {
    let seen = 0;
    for (const v of sorted) {
      seen += v.count;
      if (k < seen) return v.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  const lo = nth(Math.floor(position));
  const hi = nth(Math.ceil(position));
  return lo + (position - Math.floor(position)) * (hi - lo);
}

interface Tally {
  conversations: number;
  answered: number;
  waits: Map<number, number>;
}

const tally = (): Tally => ({ conversations: 0, answered: 0, waits: new Map() });
const summarize = (t: Tally | undefined) => ({
  conversations: t?.conversations ?? 0,
  answered: t?.answered ?? 0,
  medianMinutes: t ? minutes(weightedMedian([...t.waits].map(([value, count]) => ({ value, count })))) : null,
});

/**
 * Time to first reply: for each thread whose first inbound message (from a person, not a draft, not only
 * in Junk or Trash, not blocked) is dated in the range, the time until the first later message in the
 * thread from the mailbox's own address. Per week of that first message, and over the whole range.
 * Read from the conversation facts and their rollups (mail_facts.conversation and wait).
 */
export async function firstReplies(db: Kysely<Database>, scope: AnalyticsScope): Promise<FirstReplies> {
  const { start, end, cuts } = await rangeCuts(db, scope, 'week');
  const seg = segmentsOf(start, end, cuts);
  const rows = metricRows(scope, seg, 'conversation', { at: sql`f.date`, wait: sql`f.wait` }, sql`f.conversation`);
  // The wait in minutes as the double precision percentile_cont would have ordered, printed exactly.
  const result = await sql<{ week: string; minutes: string | null; n: string }>`
    select ${bucketOf(scope, 'week', sql`x.at`)} as week, (extract(epoch from x.wait) / 60)::float8::text as minutes, sum(x.n)::text as n
    from (${rows}) x group by 1, 2`.execute(db);
  const total = tally();
  const byWeek = new Map<string, Tally>();
  for (const r of result.rows) {
    const n = Number(r.n);
    if (!n) continue;
    const week = byWeek.get(r.week) ?? tally();
    byWeek.set(r.week, week);
    for (const t of [week, total]) {
      t.conversations += n;
      if (r.minutes === null) continue;
      t.answered += n;
      const value = Number(r.minutes);
      t.waits.set(value, (t.waits.get(value) ?? 0) + n);
    }
  }
  const weeks = await sql<{ period: string }>`${periodsOf(scope, 'week')}`.execute(db);
  return {
    items: weeks.rows.map(({ period }) => ({ week: period, ...summarize(byWeek.get(period)) })),
    summary: summarize(total),
  };
}

/** Age buckets of unanswered mail, youngest first: [from hours, to hours) with null for "and older". */
export const AGE_BUCKETS = [
  { bucket: 'under_1_day', fromHours: 0, toHours: 24 },
  { bucket: '1_to_3_days', fromHours: 24, toHours: 72 },
  { bucket: '3_to_7_days', fromHours: 72, toHours: 168 },
  { bucket: '7_to_30_days', fromHours: 168, toHours: 720 },
  { bucket: 'over_30_days', fromHours: 720, toHours: null },
] as const;

export type AgeBucket = (typeof AGE_BUCKETS)[number]['bucket'];

/**
 * Inbound mail dated in the range still waiting for a reply now (mail_facts.awaiting, the dashboard's rule),
 * counted by how long it has waited.
 */
export async function unansweredByAge(
  db: Kysely<Database>,
  scope: AnalyticsScope,
  now = new Date(),
): Promise<Array<{ bucket: AgeBucket; count: number }>> {
  const at = now.getTime();
  const range = await rangeCuts(db, scope);
  // Mail after now is not counted: the rolled-up part ends with the hour that holds now (read exactly).
  const end = Math.min(range.end, Math.floor(at / 3_600_000) * 3_600_000 + 3_600_000);
  const ageCuts = [
    { at, strict: true },
    ...AGE_BUCKETS.filter((b) => b.toHours !== null).map((b) => ({ at: at - b.toHours! * 3_600_000, strict: true })),
  ];
  const seg = segmentsOf(range.start, end, [...range.cuts, ...ageCuts]);
  const notLater = sql<boolean>`f.date <= ${now.toISOString()}::timestamptz`;
  const rows = metricRows(scope, seg, 'awaiting', { at: sql`f.date` }, sql`f.awaiting and ${notLater}`);
  // A rolled-up hour, day or month holds no age cut, so its start falls in the same bucket as all its mail.
  const cases = AGE_BUCKETS.map(
    (b, i) =>
      sql`when ${sql.raw(String(at / 1000))} - extract(epoch from x.at) < ${sql.raw(String((b.toHours ?? 1e9) * 3600))} then ${sql.raw(String(i))}`,
  );
  const result = await sql<{ i: number; n: string }>`
    select case ${sql.join(cases, sql` `)} end as i, sum(x.n)::text as n
    from (${rows}) x group by 1`.execute(db);
  const counts = new Map(result.rows.map((r) => [Number(r.i), Number(r.n)]));
  return AGE_BUCKETS.map((b, i) => ({ bucket: b.bucket, count: counts.get(i) ?? 0 }));
}
