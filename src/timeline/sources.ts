import { type RawBuilder, sql } from 'kysely';
import type { BlockedSet } from '../blocklist/filter.ts';
import { notBlockedSql, readableMessagesSql } from '../store/visibility.ts';

export type TimelineOf = { kind: 'contact' | 'company' | 'deal'; id: string };

/**
 * One SELECT per kind of item, each yielding (kind, at, id), to be UNION ALLed and keyset-paginated as one
 * list. Emails are already cut to the reader's mailboxes and blocklist here, so a page never has holes,
 * and to the page (`after` the cursor, `limit` rows), so their count does not grow with the mail.
 */
export function timelineSources(
  of: TimelineOf,
  mailboxIds: string[],
  fullMailboxIds: string[],
  blocked: BlockedSet,
  readerId: string,
  page: { after: { at: string; id: string } | null; limit: number },
): RawBuilder<unknown>[] {
  const id = sql`${of.id}::uuid`;
  // `= any(array(…))` rather than `in (…)`: next to `or company_id = …` an IN subquery is planned as a hash
  // probed by every row of the table, where the array is an index condition (a BitmapOr of both indexes).
  const companyContacts = sql`any(array(select c.id from contacts c where c.company_id = ${id}))`;
  const notBlocked = notBlockedSql(blocked) ?? sql`true`;
  const mailboxes = readableMessagesSql(mailboxIds, readerId);
  const at = sql`coalesce(m.date, m.created_at)`;

  // Emails come from the links, which carry their message's instant (message_at) and mailbox, indexed per
  // contact and per company in timeline order with the mailbox and role beside: each walk stops once it has a
  // page of messages the reader may see, and passes over links to unreadable mail without reading the message.
  // The reader's own drop-box mail (readableMessagesSql) may sit in a mailbox they cannot read: a second walk,
  // from their logged messages. A message linked twice (to and cc, a company and one of its contacts) is one item.
  const seenLink = sql`(l.role <> 'bcc' or l.mailbox_id = any(${fullMailboxIds}::uuid[]))`;
  const before = page.after ? sql`and (l.message_at, l.message_id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)` : sql``;
  const newest = sql`order by 1 desc, 2 desc limit ${page.limit}`;
  const linked = (key: RawBuilder<unknown>) => sql`select distinct l.message_at as at, l.message_id as id
    from message_links l join messages m on m.id = l.message_id
    where ${key} ${before} and l.mailbox_id = any(${mailboxIds}::uuid[]) and ${seenLink} and ${notBlocked} ${newest}`;
  // From the reader's logged messages to their links, unordered (the page's sort takes the few): driven from
  // a busy customer's links in order instead, it compared every link with every message the reader logged.
  const loggedByReader = (key: RawBuilder<unknown>) => sql`select l.message_at as at, l.message_id as id
    from (select m.id from messages m where m.logged_by_user_id = ${readerId}::uuid and ${notBlocked} offset 0) m
    join message_links l on l.message_id = m.id
    where ${key} ${before} and ${seenLink}`;
  const emails = {
    contact: sql`select 'email'::text as kind, e.at, e.id from (
      select distinct k.at, k.id from (
        (${linked(sql`l.contact_id = ${id}`)}) union all (${loggedByReader(sql`l.contact_id = ${id}`)})
      ) k ${newest}) e`,
    // One walk for the company's own links and one per contact: an index gives each in order, not their union.
    company: sql`select 'email'::text as kind, e.at, e.id from (
      select distinct k.at, k.id from (
        (${linked(sql`l.company_id = ${id}`)})
        union all
        select x.at, x.id from contacts c cross join lateral (${linked(sql`l.contact_id = c.id`)}) x where c.company_id = ${id}
        union all
        (${loggedByReader(sql`(l.company_id = ${id} or l.contact_id = ${companyContacts})`)})
      ) k ${newest}) e`,
    deal: sql`select 'email'::text as kind, ${at} as at, m.id from messages m
      where m.thread_id in (select dt.thread_id from deal_threads dt where dt.deal_id = ${id}) and ${mailboxes} and ${notBlocked}`,
  }[of.kind];
  const activitiesWhere = {
    contact: sql`a.contact_id = ${id}`,
    company: sql`(a.company_id = ${id} or a.contact_id = ${companyContacts})`,
    deal: sql`a.deal_id = ${id}`,
  }[of.kind];
  const dealsWhere = {
    contact: sql`d.id in (select dc.deal_id from deal_contacts dc where dc.contact_id = ${id})`,
    company: sql`d.company_id = ${id}`,
    deal: sql`d.id = ${id}`,
  }[of.kind];

  const sources = [
    emails,
    sql`select a.kind::text as kind, a.occurred_at as at, a.id from activities a where ${activitiesWhere}`,
    sql`select 'deal'::text as kind, d.created_at as at, d.id from deals d where ${dealsWhere}`,
  ];
  if (of.kind !== 'deal') {
    const purchasesWhere =
      of.kind === 'contact' ? sql`p.contact_id = ${id}` : sql`(p.company_id = ${id} or p.contact_id = ${companyContacts})`;
    sources.push(
      sql`select 'purchase'::text as kind, (p.purchased_on::timestamp at time zone 'UTC') as at, p.id from purchases p where ${purchasesWhere}`,
    );
  }
  return sources;
}
