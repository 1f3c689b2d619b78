import { type Kysely, sql } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { decodeTimeIdCursor, encodeTimeIdCursor } from '../kernel/index.ts';
import type { OutboxRow, OutboxState } from './tables.ts';

/** The caller's outbox, newest change first; cancelled rows only when asked for by state. */
export async function listOutbox(
  db: Kysely<Database>,
  user: User,
  q: { state?: OutboxState | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: OutboxRow[]; nextCursor: string | null }> {
  let query = db.selectFrom('outbox_messages').selectAll().where('created_by', '=', user.id);
  query = q.state ? query.where('state', '=', q.state) : query.where('state', '<>', 'cancelled');
  if (q.cursor) {
    const c = decodeTimeIdCursor('u', q.cursor);
    query = query.where(sql<boolean>`(updated_at, id) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await query
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeTimeIdCursor('u', last.updated_at, last.id) : null;
  return { items, nextCursor };
}
