import { type Kysely, sql } from 'kysely';
import { blockedSql, type FactScope, metricRows, segmentsOf } from '../analytics/index.ts';
import type { Database } from '../db/schema.ts';
import { type BlockedSet, notBlockedSql } from '../store/visibility.ts';

export interface CustomerMail {
  kind: 'company' | 'contact';
  id: string;
  name: string;
  sent: number;
  received: number;
}

/**
 * Mail exchanged with customers in the given mailboxes from `since` until `now`, top `limit` by total.
 * Read from the counts kept as mail is stored (mail_rollups, and mail_facts for the hours the window's ends
 * split), like the analytics charts: a message counts once for each contact and company it is linked to
 * (the linker's links, as on the timeline; a company through its domain or through its contacts), never
 * through a Bcc recipient, and drafts and mail in Junk or Trash do not count. Counting is "who and when", so
 * a metadata-only mailbox counts too; the caller chose which mailboxes. `blocked` (the reader's blocklist)
 * takes out the mail it hides.
 */
export async function mailPerCustomer(
  db: Kysely<Database>,
  mailboxIds: string[],
  since: Date,
  kind: 'company' | 'contact',
  blocked: BlockedSet,
  now = new Date(),
  limit = 10,
): Promise<CustomerMail[]> {
  if (!mailboxIds.length) return [];
  const scope: FactScope = {
    mailboxIds,
    notBlocked: notBlockedSql(blocked) ?? sql<boolean>`true`,
    blocked: blockedSql(blocked),
    start: sql<Date>`${since.toISOString()}::timestamptz`,
    end: sql<Date>`${now.toISOString()}::timestamptz`,
  };
  const seg = segmentsOf(since.getTime(), now.getTime(), [{ at: since.getTime() }, { at: now.getTime() }]);
  const factKey = kind === 'company' ? sql`unnest(f.company_ids)` : sql`unnest(f.contact_ids)`;
  const rows = metricRows(scope, seg, kind, { key: factKey, outbound: sql`f.outbound` }, sql`f.counted`);
  const names = kind === 'company' ? sql`companies` : sql`contacts`;
  const result = await sql<{ id: string; name: string; sent: string; received: string }>`
    with x as (${rows}), g as (
      select x.key, coalesce(sum(x.n) filter (where x.outbound), 0) as sent, coalesce(sum(x.n) filter (where not x.outbound), 0) as received
      from x group by x.key
    )
    select g.key as id, r.name, g.sent::text as sent, g.received::text as received
    from g join ${names} r on r.id = g.key
    where g.sent + g.received > 0
    order by g.sent + g.received desc, r.name asc, g.key asc
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({ kind, id: r.id, name: r.name, sent: Number(r.sent), received: Number(r.received) }));
}
