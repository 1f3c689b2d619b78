import { type Kysely, sql } from 'kysely';
import { awaitingReplySql } from '../dashboard/index.ts';
import type { Database } from '../db/schema.ts';
import { junkFolders, notIn, outboundSql } from './counted-mail.ts';
import { type AnalyticsScope, bucketOf, inScopeMailboxes, periodsOf } from './filters.ts';

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

/** Mail from a person: not a mailing list, bulk or automatic mail. */
const fromAPerson = sql<boolean>`(m.list_id is null
  and coalesce(lower(m.precedence), '') not in ('bulk', 'list', 'junk')
  and coalesce(lower(m.auto_submitted), 'no') = 'no')`;

const minutes = (v: string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

/**
 * Time to first reply: for each thread whose first inbound message (from a person, not a draft, not only
 * in Junk or Trash, not blocked) is dated in the range, the time until the first later message in the
 * thread from the mailbox's own address. Per week of that first message, and over the whole range.
 */
export async function firstReplies(db: Kysely<Database>, scope: AnalyticsScope): Promise<FirstReplies> {
  const junk = await junkFolders(db, scope);
  const rows = await sql<{ week: string | null; conversations: string; answered: string; median: string | null }>`
    with firsts as (
      select m.id, m.thread_id, m.date, mb.email
      from messages m join mailboxes mb on mb.id = m.mailbox_id
      where ${inScopeMailboxes(scope)}
        and m.date >= ${scope.start} and m.date < ${scope.end}
        and m.thread_id is not null and not m.draft
        and not ${outboundSql()} and ${fromAPerson}
        and ${scope.notBlocked} and ${notIn(junk)}
        and not exists (
          select 1 from messages e
          where e.thread_id = m.thread_id and e.date < m.date and not e.draft
            and lower(coalesce(e."from"->0->>'address', '')) <> lower(mb.email))
    ), waits as (
      select f.date, (
        select min(r.date) from messages r
        where r.thread_id = f.thread_id and r.date > f.date and not r.draft
          and lower(coalesce(r."from"->0->>'address', '')) = lower(f.email)
      ) - f.date as wait
      from firsts f
    )
    select ${bucketOf(scope, 'week', sql`w.date`)} as week, count(*)::text as conversations, count(w.wait)::text as answered,
      (percentile_cont(0.5) within group (order by extract(epoch from w.wait) / 60) filter (where w.wait is not null))::text as median
    from waits w
    group by grouping sets ((1), ())`.execute(db);
  const total = rows.rows.find((r) => r.week === null);
  const byWeek = new Map(rows.rows.filter((r) => r.week !== null).map((r) => [r.week, r]));
  const weeks = await sql<{ period: string }>`${periodsOf(scope, 'week')}`.execute(db);
  return {
    items: weeks.rows.map(({ period }) => {
      const r = byWeek.get(period);
      return {
        week: period,
        conversations: Number(r?.conversations ?? 0),
        answered: Number(r?.answered ?? 0),
        medianMinutes: minutes(r?.median ?? null),
      };
    }),
    summary: {
      conversations: Number(total?.conversations ?? 0),
      answered: Number(total?.answered ?? 0),
      medianMinutes: minutes(total?.median ?? null),
    },
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
 * Inbound mail dated in the range still waiting for a reply now (the dashboard's rule: awaitingReplySql),
 * counted by how long it has waited.
 */
export async function unansweredByAge(
  db: Kysely<Database>,
  scope: AnalyticsScope,
  now = new Date(),
): Promise<Array<{ bucket: AgeBucket; count: number }>> {
  const cases = AGE_BUCKETS.map(
    (b, i) =>
      sql`when ${sql.raw(String(now.getTime() / 1000))} - extract(epoch from m.date) < ${sql.raw(String((b.toHours ?? 1e9) * 3600))} then ${sql.raw(String(i))}`,
  );
  const rows = await sql<{ i: number; n: string }>`
    select case ${sql.join(cases, sql` `)} end as i, count(*)::text as n
    from messages m join mailboxes mb on mb.id = m.mailbox_id
    where ${inScopeMailboxes(scope)}
      and m.date >= ${scope.start} and m.date < ${scope.end} and m.date <= ${now.toISOString()}::timestamptz
      and ${scope.notBlocked} and ${awaitingReplySql}
    group by 1`.execute(db);
  const counts = new Map(rows.rows.map((r) => [Number(r.i), Number(r.n)]));
  return AGE_BUCKETS.map((b, i) => ({ bucket: b.bucket, count: counts.get(i) ?? 0 }));
}
