import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type AnalyticsScope, bucketOf, periodsOf } from './filters.ts';
import { metricRows, rangeCuts, segmentsOf } from './rollups.ts';

export interface WeekMail {
  /** The week's Monday (YYYY-MM-DD) in the reader's time zone. */
  week: string;
  inbound: number;
  outbound: number;
}

/** Mail in and out per week, every week of the range (zeros included). */
export async function mailPerWeek(db: Kysely<Database>, scope: AnalyticsScope): Promise<WeekMail[]> {
  const { start, end, cuts } = await rangeCuts(db, scope, 'week');
  const seg = segmentsOf(start, end, cuts);
  const rows = metricRows(scope, seg, 'mail', { at: sql`f.date`, outbound: sql`f.outbound` }, sql`f.counted`);
  const result = await sql<{ week: string; inbound: string; outbound: string }>`
    with x as (${rows}), counts as (
      select ${bucketOf(scope, 'week', sql`x.at`)} as week,
        coalesce(sum(x.n) filter (where not x.outbound), 0) as inbound,
        coalesce(sum(x.n) filter (where x.outbound), 0) as outbound
      from x group by 1
    )
    select w.period as week, coalesce(c.inbound, 0)::text as inbound, coalesce(c.outbound, 0)::text as outbound
    from (${periodsOf(scope, 'week')}) w left join counts c on c.week = w.period
    order by w.period`.execute(db);
  return result.rows.map((r) => ({ week: r.week, inbound: Number(r.inbound), outbound: Number(r.outbound) }));
}

export type MailGroup = 'contact' | 'company' | 'owner';

export interface GroupMail {
  id: string;
  name: string;
  inbound: number;
  outbound: number;
}

/**
 * Mail in and out per contact, company or owner over the range, the `limit` largest by total. A message
 * counts once for each contact and company linked to it (the linker's links, as on the timeline; a
 * company through its domain or through its contacts), never through a Bcc recipient; per owner, it
 * counts for the owner of the mailbox that holds it.
 */
export async function mailByGroup(db: Kysely<Database>, scope: AnalyticsScope, group: MailGroup, limit = 10): Promise<GroupMail[]> {
  const { start, end, cuts } = await rangeCuts(db, scope);
  const seg = segmentsOf(start, end, cuts);
  const metric = group === 'owner' ? 'mail' : group;
  // The fact rows' key: the mailbox (its owner is looked up below), or each linked contact or company once.
  const factKey = {
    owner: sql`f.mailbox_id`,
    contact: sql`unnest(f.contact_ids)`,
    company: sql`unnest(f.company_ids)`,
  }[group];
  const rows = metricRows(scope, seg, metric, { mailbox_id: sql`f.mailbox_id`, key: factKey, outbound: sql`f.outbound` }, sql`f.counted`);
  const key = group === 'owner' ? sql`mb.owner_user_id` : sql`x.key`;
  const names = { owner: sql`users`, contact: sql`contacts`, company: sql`companies` }[group];
  const result = await sql<{ id: string; name: string; inbound: string; outbound: string }>`
    with x as (${rows}), g as (
      select ${key} as key, sum(x.n) filter (where not x.outbound) as inbound, sum(x.n) filter (where x.outbound) as outbound
      from x join mailboxes mb on mb.id = x.mailbox_id
      group by 1
    )
    select g.key as id, n.name, coalesce(g.inbound, 0)::text as inbound, coalesce(g.outbound, 0)::text as outbound
    from g join ${names} n on n.id = g.key
    where coalesce(g.inbound, 0) + coalesce(g.outbound, 0) > 0
    order by coalesce(g.inbound, 0) + coalesce(g.outbound, 0) desc, n.name, g.key
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({ id: r.id, name: r.name, inbound: Number(r.inbound), outbound: Number(r.outbound) }));
}
