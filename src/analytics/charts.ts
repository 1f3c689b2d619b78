import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AnalyticsScope } from './filters.ts';
import { type GroupMail, mailByGroup, mailPerWeek, type WeekMail } from './mail-volume.ts';
import {
  type ForecastRow,
  forecast,
  type MonthWins,
  pipelineByStage,
  pipelineOverTime,
  type StageValue,
  type WeekPipeline,
  winRate,
} from './pipeline.ts';
import { type CustomerRevenue, type MonthRevenue, revenuePerMonth, topCustomers } from './purchases.ts';
import { type AgeBucket, type FirstReplies, firstReplies, unansweredByAge, type WeekReplies } from './replies.ts';

type Cell = string | number | null;

/** One chart: how its figures are computed for a scope, and the columns of its CSV file. */
export interface Chart<I, S = undefined> {
  run(db: Kysely<Database>, scope: AnalyticsScope, now: Date): Promise<{ items: I[]; summary?: S }>;
  csv: Array<[header: string, cell: (item: I) => Cell]>;
}

// NoInfer: the item type comes from `run`, so the CSV columns' callbacks are typed by it.
const chart = <I, S = undefined>(c: {
  run: Chart<I, S>['run'];
  csv: Array<[header: string, cell: (item: NoInfer<I>) => Cell]>;
}): Chart<I, S> => c;
const items =
  <I>(run: (db: Kysely<Database>, scope: AnalyticsScope, now: Date) => Promise<I[]>) =>
  async (db: Kysely<Database>, scope: AnalyticsScope, now: Date) => ({ items: await run(db, scope, now) });

const mailColumns = (kind: string) =>
  [
    [`${kind}_id`, (i: { id: string }) => i.id],
    [kind, (i: { name: string }) => i.name],
    ['inbound', (i: { inbound: number }) => i.inbound],
    ['outbound', (i: { outbound: number }) => i.outbound],
  ] as Array<[string, (i: { id: string; name: string; inbound: number; outbound: number }) => Cell]>;

/** Every chart of the dashboard by its name in the API (`/api/v1/analytics/<name>` and `<name>.csv`). */
export const charts = {
  'mail-per-week': chart<WeekMail>({
    run: items((db, s) => mailPerWeek(db, s)),
    csv: [
      ['week', (i) => i.week],
      ['inbound', (i) => i.inbound],
      ['outbound', (i) => i.outbound],
    ],
  }),
  'mail-by-contact': chart<GroupMail>({ run: items((db, s) => mailByGroup(db, s, 'contact')), csv: mailColumns('contact') }),
  'mail-by-company': chart<GroupMail>({ run: items((db, s) => mailByGroup(db, s, 'company')), csv: mailColumns('company') }),
  'mail-by-owner': chart<GroupMail>({ run: items((db, s) => mailByGroup(db, s, 'owner')), csv: mailColumns('owner') }),
  'first-reply': chart<WeekReplies, FirstReplies['summary']>({
    run: (db, s) => firstReplies(db, s),
    csv: [
      ['week', (i) => i.week],
      ['conversations', (i) => i.conversations],
      ['answered', (i) => i.answered],
      ['median_minutes', (i) => i.medianMinutes],
    ],
  }),
  'unanswered-age': chart<{ bucket: AgeBucket; count: number }>({
    run: items((db, s, now) => unansweredByAge(db, s, now)),
    csv: [
      ['age', (i) => i.bucket],
      ['messages', (i) => i.count],
    ],
  }),
  'pipeline-by-stage': chart<StageValue>({
    run: items((db, s) => pipelineByStage(db, s)),
    csv: [
      ['stage_id', (i) => i.stageId],
      ['stage_en', (i) => i.name.en ?? null],
      ['stage_zh_cn', (i) => i.name['zh-CN'] ?? null],
      ['kind', (i) => i.kind],
      ['probability', (i) => i.probability],
      ['currency', (i) => i.currency],
      ['deals', (i) => i.count],
      ['amount', (i) => i.amount],
      ['weighted', (i) => i.weighted],
    ],
  }),
  'pipeline-over-time': chart<WeekPipeline>({
    run: items((db, s) => pipelineOverTime(db, s)),
    csv: [
      ['week', (i) => i.week],
      ['currency', (i) => i.currency],
      ['open', (i) => i.open],
      ['won', (i) => i.won],
      ['lost', (i) => i.lost],
    ],
  }),
  'win-rate': chart<MonthWins, { won: number; lost: number; winRate: number | null }>({
    run: (db, s) => winRate(db, s),
    csv: [
      ['month', (i) => i.month],
      ['won', (i) => i.won],
      ['lost', (i) => i.lost],
      ['win_rate', (i) => i.winRate],
    ],
  }),
  forecast: chart<ForecastRow>({
    run: items((db, s, now) => forecast(db, s, now)),
    csv: [
      ['period', (i) => i.period],
      ['currency', (i) => i.currency],
      ['deals', (i) => i.count],
      ['amount', (i) => i.amount],
      ['weighted', (i) => i.weighted],
    ],
  }),
  'revenue-per-month': chart<MonthRevenue>({
    run: items((db, s) => revenuePerMonth(db, s)),
    csv: [
      ['month', (i) => i.month],
      ['currency', (i) => i.currency],
      ['purchases', (i) => i.count],
      ['amount', (i) => i.amount],
    ],
  }),
  'top-customers': chart<CustomerRevenue>({
    run: items((db, s) => topCustomers(db, s)),
    csv: [
      ['kind', (i) => i.kind],
      ['customer_id', (i) => i.id],
      ['customer', (i) => i.name],
      ['currency', (i) => i.currency],
      ['purchases', (i) => i.count],
      ['amount', (i) => i.amount],
    ],
  }),
};

export type ChartName = keyof typeof charts;
export const CHART_NAMES = Object.keys(charts) as ChartName[];

/** A chart by name with its item type forgotten: the route only passes items from `run` to `csv`. */
export function chartNamed(name: ChartName): Chart<unknown, unknown> {
  return charts[name] as unknown as Chart<unknown, unknown>;
}
