import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { countedMail } from './counted-mail.ts';
import { type AnalyticsScope, bucketOf, periodsOf } from './filters.ts';

export interface WeekMail {
  /** The week's Monday (YYYY-MM-DD) in the reader's time zone. */
  week: string;
  inbound: number;
  outbound: number;
}

/** Mail in and out per week, every week of the range (zeros included). */
export async function mailPerWeek(db: Kysely<Database>, scope: AnalyticsScope): Promise<WeekMail[]> {
  const x = await countedMail(db, scope);
  const rows = await sql<{ week: string; inbound: string; outbound: string }>`
    with counts as (
      select ${bucketOf(scope, 'week', sql`x.date`)} as week,
        count(*) filter (where not x.outbound) as inbound,
        count(*) filter (where x.outbound) as outbound
      from ${x} x group by 1
    )
    select w.period as week, coalesce(c.inbound, 0)::text as inbound, coalesce(c.outbound, 0)::text as outbound
    from (${periodsOf(scope, 'week')}) w left join counts c on c.week = w.period
    order by w.period`.execute(db);
  return rows.rows.map((r) => ({ week: r.week, inbound: Number(r.inbound), outbound: Number(r.outbound) }));
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
  const x = await countedMail(db, scope);
  const keyed = {
    owner: sql`select x.id, x.outbound, x.owner_user_id as key from ${x} x`,
    contact: sql`select distinct x.id, x.outbound, l.contact_id as key
      from ${x} x join message_links l on l.message_id = x.id and l.role <> 'bcc' and l.contact_id is not null`,
    company: sql`select distinct x.id, x.outbound, coalesce(l.company_id, c.company_id) as key
      from ${x} x join message_links l on l.message_id = x.id and l.role <> 'bcc'
      left join contacts c on c.id = l.contact_id
      where coalesce(l.company_id, c.company_id) is not null`,
  }[group];
  const names = { owner: sql`users`, contact: sql`contacts`, company: sql`companies` }[group];
  const rows = await sql<{ id: string; name: string; inbound: string; outbound: string }>`
    with k as (${keyed}), g as (
      select k.key, count(*) filter (where not k.outbound) as inbound, count(*) filter (where k.outbound) as outbound
      from k group by k.key
    )
    select g.key as id, n.name, g.inbound::text as inbound, g.outbound::text as outbound
    from g join ${names} n on n.id = g.key
    order by g.inbound + g.outbound desc, n.name, g.key
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, name: r.name, inbound: Number(r.inbound), outbound: Number(r.outbound) }));
}
