import { z } from 'zod';
import { AGE_BUCKETS, type ChartName } from '../../analytics/index.ts';
import { isoDate, uuid } from './crm-schemas.ts';

/** The longest range a chart covers: five years of weeks is already 261 points. */
const MAX_RANGE_DAYS = 5 * 366;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** The filters every chart takes; the route fills the default range (the last 90 days) in the time zone. */
export const analyticsQuery = z
  .strictObject({
    from: isoDate.optional().describe('First day counted (YYYY-MM-DD); default: 89 days before `to`.'),
    to: isoDate.optional().describe('Last day counted (YYYY-MM-DD); default: today in `timeZone`.'),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' })
      .default('UTC')
      .describe('Days, weeks (from Monday) and months are cut in this time zone.'),
    ownerId: uuid.optional().describe("Only this user's mailboxes, deals and purchases."),
    team: z.string().trim().min(1).max(80).optional().describe("Only the mailboxes, deals and purchases of this team's users."),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_RANGE_DAYS, {
    message: 'the range may cover at most five years',
    path: ['from'],
  });

/** The calendar day `date` falls on in `timeZone`, as YYYY-MM-DD. */
export function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export function defaultRange(q: { from?: string | undefined; to?: string | undefined; timeZone: string }, now: Date) {
  const to = q.to ?? (q.from ? addDays(q.from, 89) : dayIn(now, q.timeZone));
  const from = q.from ?? addDays(to, -89);
  return { from, to };
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const money = z.string().describe('Decimal string; amounts in different currencies are never added');
const week = z.string().describe("The week's Monday, YYYY-MM-DD");
const month = z.string().describe("The month's first day, YYYY-MM-DD");
const mailGroup = z.object({ id: z.string(), name: z.string(), inbound: z.number(), outbound: z.number() });

/** Each chart's items (and summary), as the JSON answer publishes them. */
export const chartSchemas: Record<ChartName, { description: string; items: z.ZodType; summary?: z.ZodType }> = {
  'mail-per-week': {
    description: 'Mail in and out per week of the range (every week, zeros included).',
    items: z.object({ week, inbound: z.number(), outbound: z.number() }),
  },
  'mail-by-contact': { description: 'The 10 contacts with most mail in the range, in and out.', items: mailGroup },
  'mail-by-company': {
    description: 'The 10 companies with most mail in the range (by domain or through their contacts), in and out.',
    items: mailGroup,
  },
  'mail-by-owner': { description: 'Mail in and out per mailbox owner in the range (top 10).', items: mailGroup },
  'first-reply': {
    description: 'Per week: conversations a customer opened, how many got a reply, and the median minutes to our first reply.',
    items: z.object({ week, conversations: z.number(), answered: z.number(), medianMinutes: z.number().nullable() }),
    summary: z.object({ conversations: z.number(), answered: z.number(), medianMinutes: z.number().nullable() }),
  },
  'unanswered-age': {
    description: 'Inbound mail dated in the range still waiting for a reply, by how long it has waited.',
    items: z.object({ bucket: z.enum(AGE_BUCKETS.map((b) => b.bucket)), count: z.number() }),
  },
  'pipeline-by-stage': {
    description: 'Deals now in each stage per currency, with the amount weighted by the stage (the range does not apply).',
    items: z.object({
      stageId: z.string(),
      name: z.object({ en: z.string().optional(), 'zh-CN': z.string().optional() }),
      kind: z.enum(['open', 'won', 'lost']),
      probability: z.number(),
      currency: z.string().nullable().describe('null on a stage with no deals'),
      count: z.number(),
      amount: money,
      weighted: money,
    }),
  },
  'pipeline-over-time': {
    description: 'Per week and currency: value of deals open at the end of the week, won and lost during it.',
    items: z.object({ week, currency: z.string(), open: money, won: money, lost: money }),
  },
  'win-rate': {
    description: 'Deals won and lost per month of closing in the range, and the win rate.',
    items: z.object({ month, won: z.number(), lost: z.number(), winRate: z.number().nullable() }),
    summary: z.object({ won: z.number(), lost: z.number(), winRate: z.number().nullable() }),
  },
  forecast: {
    description:
      'Open deals by expected close month (this month and the next five; `overdue`, `later`, `unscheduled`), amount and amount weighted by stage. The range does not apply.',
    items: z.object({ period: z.string(), currency: z.string(), count: z.number(), amount: money, weighted: money }),
  },
  'revenue-per-month': {
    description: 'Purchases per month of the range and currency: how many and their amount.',
    items: z.object({ month, currency: z.string(), count: z.number(), amount: money }),
  },
  'top-customers': {
    description: 'The 10 customers (company, else contact) with the largest purchases in the range, per currency.',
    items: z.object({
      kind: z.enum(['company', 'contact']),
      id: z.string(),
      name: z.string(),
      currency: z.string(),
      count: z.number(),
      amount: money,
    }),
  },
};
