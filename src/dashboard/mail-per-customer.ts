import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface CustomerMail {
  kind: 'company' | 'contact';
  id: string;
  name: string;
  sent: number;
  received: number;
}

/**
 * Mail exchanged with customers in the given mailboxes since `since`, top `limit` by total. An address
 * belongs to a contact (contact_emails) and to a company (the contact's company, else the address's
 * domain). A message counts once per customer, however many of its people the customer has. Counting
 * is "who and when", so a metadata-only mailbox counts too; the caller chose which mailboxes. Bcc
 * recipients are left out: they are hidden from every reader below full access (docs/visibility.md).
 * `notBlocked` (notBlockedSql over `m`) leaves out the mail the reader's blocklist hides.
 */
export async function mailPerCustomer(
  db: Kysely<Database>,
  mailboxIds: string[],
  since: Date,
  kind: 'company' | 'contact',
  notBlocked: RawBuilder<boolean> | null = null,
  limit = 10,
): Promise<CustomerMail[]> {
  if (!mailboxIds.length) return [];
  const key = kind === 'company' ? sql.raw('x.company_id') : sql.raw('x.contact_id');
  const nameJoin = kind === 'company' ? sql`join companies r on r.id = g.customer_id` : sql`join contacts r on r.id = g.customer_id`;
  const result = await sql<{ id: string; name: string; sent: string; received: string }>`
    with x as (
      select m.id as message_id,
        lower(coalesce(m."from"->0->>'address', '')) = lower(mb.email) as outbound,
        ce.contact_id,
        coalesce(c.company_id, cd.company_id) as company_id
      from messages m
      join mailboxes mb on mb.id = m.mailbox_id
      cross join lateral (
        select distinct lower(e->>'address') as addr from jsonb_array_elements(m."from" || m."to" || m.cc) e
      ) as a
      left join contact_emails ce on ce.address = a.addr
      left join contacts c on c.id = ce.contact_id
      left join company_domains cd on cd.domain = split_part(a.addr, '@', 2)
      where m.mailbox_id in (${sql.join(mailboxIds)})
        and m.date >= ${since.toISOString()}::timestamptz
        and a.addr <> lower(mb.email)
        and ${notBlocked ?? sql`true`}
    ), g as (
      select ${key} as customer_id,
        count(distinct case when x.outbound then x.message_id end) as sent,
        count(distinct case when not x.outbound then x.message_id end) as received
      from x where ${key} is not null
      group by ${key}
    )
    select g.customer_id as id, r.name, g.sent::text as sent, g.received::text as received
    from g ${nameJoin}
    order by g.sent + g.received desc, r.name asc, g.customer_id asc
    limit ${limit}
  `.execute(db);
  return result.rows.map((r) => ({ kind, id: r.id, name: r.name, sent: Number(r.sent), received: Number(r.received) }));
}
