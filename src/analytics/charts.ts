import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { columnOf } from '../kernel/index.ts';
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
type Column<I> = [header: string, cell: (item: I) => Cell];

/** One chart: how its figures are computed for a scope, and the columns of its CSV file. */
export interface Chart<I, S = undefined> {
  run(db: Kysely<Database>, scope: AnalyticsScope, now: Date): Promise<{ items: I[]; summary?: S }>;
  csv: Array<Column<I>>;
}

/** A field of the item whose value is a cell: its column is headed by the field's name in snake_case. */
type CellField<I> = { [K in keyof I & string]: I[K] extends Cell ? K : never }[keyof I & string];

// NoInfer: the item type comes from `run`, so the CSV columns' callbacks are typed by it.
const chart = <I, S = undefined>(c: { run: Chart<I, S>['run']; csv: Array<CellField<NoInfer<I>> | Column<NoInfer<I>>> }): Chart<I, S> => ({
  run: c.run,
  csv: c.csv.map((col) => (typeof col === 'string' ? [columnOf(col), (item: I) => item[col] as Cell] : col)),
});
const items =
  <I>(run: (db: Kysely<Database>, scope: AnalyticsScope, now: Date) => Promise<I[]>) =>
  async (db: Kysely<Database>, scope: AnalyticsScope, now: Date) => ({ items: await run(db, scope, now) });

const mailColumns = (kind: string): Array<Column<GroupMail> | CellField<GroupMail>> => [
  [`${kind}_id`, (i) => i.id],
  [kind, (i) => i.name],
  'inbound',
  'outbound',
];

/** Every chart of the dashboard by its name in the API (`/api/v1/analytics/<name>` and `<name>.csv`). */
export const charts = {
  'mail-per-week': chart<WeekMail>({ run: items((db, s) => mailPerWeek(db, s)), csv: ['week', 'inbound', 'outbound'] }),
  'mail-by-contact': chart<GroupMail>({ run: items((db, s) => mailByGroup(db, s, 'contact')), csv: mailColumns('contact') }),
  'mail-by-company': chart<GroupMail>({ run: items((db, s) => mailByGroup(db, s, 'company')), csv: mailColumns('company') }),
  'mail-by-owner': chart<GroupMail>({ run: items((db, s) => mailByGroup(db, s, 'owner')), csv: mailColumns('owner') }),
  'first-reply': chart<WeekReplies, FirstReplies['summary']>({
    run: (db, s) => firstReplies(db, s),
    csv: ['week', 'conversations', 'answered', 'medianMinutes'],
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
      'stageId',
      ['stage_en', (i) => i.name.en ?? null],
      ['stage_zh_cn', (i) => i.name['zh-CN'] ?? null],
      'kind',
      'probability',
      'currency',
      ['deals', (i) => i.count],
      'amount',
      'weighted',
    ],
  }),
  'pipeline-over-time': chart<WeekPipeline>({
    run: items((db, s) => pipelineOverTime(db, s)),
    csv: ['week', 'currency', 'open', 'won', 'lost'],
  }),
  'win-rate': chart<MonthWins, { won: number; lost: number; winRate: number | null }>({
    run: (db, s) => winRate(db, s),
    csv: ['month', 'won', 'lost', 'winRate'],
  }),
  forecast: chart<ForecastRow>({
    run: items((db, s, now) => forecast(db, s, now)),
    csv: ['period', 'currency', ['deals', (i) => i.count], 'amount', 'weighted'],
  }),
  'revenue-per-month': chart<MonthRevenue>({
    run: items((db, s) => revenuePerMonth(db, s)),
    csv: ['month', 'currency', ['purchases', (i) => i.count], 'amount'],
  }),
  'top-customers': chart<CustomerRevenue>({
    run: items((db, s) => topCustomers(db, s)),
    csv: ['kind', ['customer_id', (i) => i.id], ['customer', (i) => i.name], 'currency', ['purchases', (i) => i.count], 'amount'],
  }),
};

export type ChartName = keyof typeof charts;
export const CHART_NAMES = Object.keys(charts) as ChartName[];

/** A chart by name with its item type forgotten: the route only passes items from `run` to `csv`. */
export function chartNamed(name: ChartName): Chart<unknown, unknown> {
  return charts[name] as unknown as Chart<unknown, unknown>;
}
