import { type Kysely, sql } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { DomainError } from '../kernel/index.ts';
import type { OutboxRow, OutboxState } from './tables.ts';

const badCursor = () => new DomainError('invalid_cursor', 'The cursor is not one this list gave.');

function decodeCursor(cursor: string): { u: string; i: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { u?: unknown; i?: unknown };
    if (typeof c.u === 'string' && typeof c.i === 'string' && !Number.isNaN(Date.parse(c.u)) && /^[0-9a-f-]{36}$/i.test(c.i))
      return { u: c.u, i: c.i };
  } catch {
    // fall through
  }
  throw badCursor();
}

/** The caller's outbox, newest change first; cancelled rows only when asked for by state. */
export async function listOutbox(
  db: Kysely<Database>,
  user: User,
  q: { state?: OutboxState | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: OutboxRow[]; nextCursor: string | null }> {
  let query = db.selectFrom('outbox_messages').selectAll().where('created_by', '=', user.id);
  query = q.state ? query.where('state', '=', q.state) : query.where('state', '<>', 'cancelled');
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    query = query.where(sql<boolean>`(updated_at, id) < (${c.u}::timestamptz, ${c.i}::uuid)`);
  }
  const rows = await query
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > q.limit && last
      ? Buffer.from(JSON.stringify({ u: new Date(last.updated_at).toISOString(), i: last.id })).toString('base64url')
      : null;
  return { items, nextCursor };
}
