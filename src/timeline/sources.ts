import { type RawBuilder, sql } from 'kysely';
import type { BlockedSet } from '../blocklist/filter.ts';
import { notBlockedSql, readableMessagesSql } from '../store/visibility.ts';

export type TimelineOf = { kind: 'contact' | 'company' | 'deal'; id: string };

/**
 * One SELECT per kind of item, each yielding (kind, at, id), to be UNION ALLed and keyset-paginated as one
 * list. Emails are already cut to the reader's mailboxes and blocklist here, so a page never has holes.
 */
export function timelineSources(
  of: TimelineOf,
  mailboxIds: string[],
  fullMailboxIds: string[],
  blocked: BlockedSet,
  readerId: string,
): RawBuilder<unknown>[] {
  const id = sql`${of.id}::uuid`;
  // `= any(array(…))` rather than `in (…)`: next to `or company_id = …` an IN subquery is planned as a hash
  // probed by every row of the table, where the array is an index condition (a BitmapOr of both indexes).
  const companyContacts = sql`any(array(select c.id from contacts c where c.company_id = ${id}))`;
  const notBlocked = notBlockedSql(blocked) ?? sql`true`;
  const mailboxes = readableMessagesSql(mailboxIds, readerId);
  const at = sql`coalesce(m.date, m.created_at)`;

  // A Bcc link shows only to readers of the whole mailbox: to anyone else the Bcc'd person is not on the message.
  // (A scalar subquery, one key lookup per Bcc link: an EXISTS here may be planned as a hash of every message
  // of those mailboxes.)
  const seenLink = sql`(l.role <> 'bcc' or (select bm.mailbox_id from messages bm where bm.id = l.message_id) = any(${fullMailboxIds}::uuid[]))`;
  const emailsWhere = {
    contact: sql`m.id in (select l.message_id from message_links l where l.contact_id = ${id} and ${seenLink})`,
    company: sql`m.id in (select l.message_id from message_links l where (l.company_id = ${id} or l.contact_id = ${companyContacts}) and ${seenLink})`,
    deal: sql`m.thread_id in (select dt.thread_id from deal_threads dt where dt.deal_id = ${id})`,
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
    sql`select 'email'::text as kind, ${at} as at, m.id from messages m where ${emailsWhere} and ${mailboxes} and ${notBlocked}`,
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
