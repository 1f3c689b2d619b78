import type { Kysely } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { timeIdPage } from '../kernel/index.ts';
import type { OutboxRow, OutboxState } from './tables.ts';

/** The caller's outbox, newest change first; cancelled rows only when asked for by state. */
export async function listOutbox(
  db: Kysely<Database>,
  user: User,
  q: { state?: OutboxState | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: OutboxRow[]; nextCursor: string | null }> {
  let query = db.selectFrom('outbox_messages').selectAll().where('created_by', '=', user.id);
  query = q.state ? query.where('state', '=', q.state) : query.where('state', '<>', 'cancelled');
  return timeIdPage(query, { at: 'updated_at', id: 'id', cursorKey: 'u', atOf: (m) => m.updated_at }, q);
}
