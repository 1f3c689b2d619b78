import { type Kysely, sql } from 'kysely';
import { presentActivity } from '../crm/activities/presenter.ts';
import { presentDeal } from '../crm/deals/presenter.ts';
import { selectDeals } from '../crm/deals/repository.ts';
import { presentPurchase } from '../crm/purchases/presenter.ts';
import { selectPurchases } from '../crm/purchases/repository.ts';
import { selectByIds } from '../crm/shared/rows.ts';
import { InvalidCursorError } from '../crm/index.ts';
import { NotFoundError } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';
import type { MessageSummary } from '../store/message-schemas.ts';
import { presentSummary } from '../store/presenters.ts';
import type { MessageRow } from '../store/tables.ts';
import { accessToMessage, blockedFor, readableMailboxes } from '../store/visibility.ts';
import { timelineSources, type TimelineOf } from './sources.ts';

export type { TimelineOf } from './sources.ts';

export type TimelineItem =
  | { kind: 'email'; at: string; id: string; email: MessageSummary }
  | { kind: 'note' | 'task' | 'call'; at: string; id: string; activity: ReturnType<typeof presentActivity> }
  | { kind: 'deal'; at: string; id: string; deal: ReturnType<typeof presentDeal> }
  | { kind: 'purchase'; at: string; id: string; purchase: ReturnType<typeof presentPurchase> };

const badCursor = () => new InvalidCursorError();

function decode(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'string' && at.length < 60 && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { at, id };
  } catch {
    // falls through
  }
  throw badCursor();
}

// Only what the summary presenter reads: never the body, tsvector or raw columns.
const SUMMARY_COLUMNS = [
  'id',
  'labels',
  'mailbox_id',
  'thread_id',
  'date',
  'header_date',
  'received_at',
  'logged_by_user_id',
  'from',
  'to',
  'cc',
  'subject',
  'snippet',
  'seen',
  'flagged',
  'answered',
  'draft',
  'has_attachments',
  'size',
] as const;

/**
 * One list, newest first, of the emails the reader may see (every mailbox, through the visibility function
 * and the blocklist), notes, tasks, calls, deals and purchases of a contact, a company (its own plus its
 * contacts') or a deal. Keyset-paginated on (at, id).
 */
export async function readTimeline(
  db: Kysely<Database>,
  userId: string,
  of: TimelineOf,
  page: { cursor?: string; limit: number },
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const access = await readableMailboxes(db, userId);
  const blocked = await blockedFor(db, userId);
  const full = [...access].filter(([, a]) => a === 'full').map(([id]) => id);
  const position = page.cursor ? decode(page.cursor) : null;
  const sources = timelineSources(of, [...access.keys()], full, blocked, userId, { after: position, limit: page.limit + 1 });
  const union = sql.join(sources, sql` union all `);
  const after = position ? sql`where (t.at, t.id) < (${position.at}::timestamptz, ${position.id}::uuid)` : sql``;
  const refs = await sql<{ kind: TimelineItem['kind']; at: Date; at_text: string; id: string }>`
    select t.kind, t.at, t.at::text as at_text, t.id from (${union}) t ${after}
    order by t.at desc, t.id desc limit ${page.limit + 1}`
    .execute(db)
    .catch((e: unknown) => {
      if ((e as { code?: string }).code === '22007' || (e as { code?: string }).code === '22008') throw badCursor();
      throw e;
    });
  const rows = refs.rows.slice(0, page.limit);
  const last = rows[rows.length - 1];
  const nextCursor =
    refs.rows.length > page.limit && last ? Buffer.from(JSON.stringify([last.at_text, last.id])).toString('base64url') : null;

  // Each kind's rows in one query, not one round trip per item.
  const idsOf = (kinds: Array<TimelineItem['kind']>) => rows.filter((r) => kinds.includes(r.kind)).map((r) => r.id);
  const emailIds = idsOf(['email']);
  const [messages, activities, deals, purchases] = await Promise.all([
    emailIds.length
      ? db
          .selectFrom('messages')
          .select([...SUMMARY_COLUMNS])
          .where('id', 'in', emailIds)
          .execute()
      : [],
    selectByIds(db.selectFrom('activities').selectAll(), 'id', idsOf(['note', 'task', 'call'])),
    selectByIds(selectDeals(db), 'd.id', idsOf(['deal'])),
    selectByIds(selectPurchases(db), 'p.id', idsOf(['purchase'])),
  ]);
  const byId = new Map(messages.map((m) => [m.id, m]));
  const activityById = new Map(activities.map((a) => [a.id, a]));
  const dealById = new Map(deals.map((d) => [d.id, d]));
  const purchaseById = new Map(purchases.map((p) => [p.id, p]));
  const items: TimelineItem[] = [];
  for (const r of rows) {
    const at = new Date(r.at).toISOString();
    if (r.kind === 'email') {
      const m = byId.get(r.id);
      const a = m && accessToMessage(access, userId, m);
      if (m && a) items.push({ kind: 'email', at, id: r.id, email: presentSummary(m as unknown as MessageRow, a) });
    } else if (r.kind === 'deal') {
      const d = dealById.get(r.id);
      if (d) items.push({ kind: 'deal', at, id: r.id, deal: presentDeal(d) });
    } else if (r.kind === 'purchase') {
      const p = purchaseById.get(r.id);
      if (p) items.push({ kind: 'purchase', at, id: r.id, purchase: presentPurchase(p) });
    } else {
      const a = activityById.get(r.id);
      if (a) items.push({ kind: a.kind, at, id: r.id, activity: presentActivity(a) });
    }
  }
  return { items, nextCursor };
}

const recordTables = { contact: 'contacts', company: 'companies', deal: 'deals' } as const;

/** The timeline of a contact, company or deal that exists (not_found otherwise). */
export async function readRecordTimeline(
  db: Kysely<Database>,
  userId: string,
  of: TimelineOf,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const exists = await db.selectFrom(recordTables[of.kind]).select('id').where('id', '=', of.id).executeTakeFirst();
  if (!exists) throw new NotFoundError(of.kind);
  return readTimeline(db, userId, of, page);
}
