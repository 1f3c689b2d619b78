import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DomainError } from '../kernel/index.ts';

export interface AuditQuery {
  limit: number;
  /** Opaque to clients: the id of the last entry of the previous page. */
  cursor?: string | undefined;
  /** A prefix of the action, e.g. `contact.` */
  action?: string | undefined;
  actorUserId?: string | undefined;
}

export interface AuditEntryView {
  id: string;
  at: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  actor: { id: string; name: string | null; email: string | null } | null;
}

/** The audit trail, newest first, one keyset page. Entries never hold secrets (writers record field names only). */
export async function listAuditEntries(
  db: Kysely<Database>,
  query: AuditQuery,
): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  const { limit, cursor, action, actorUserId } = query;
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .selectAll('audit_log')
    .select(['users.name as actor_name', 'users.email as actor_email'])
    .orderBy('audit_log.id', 'desc')
    .limit(limit + 1);
  if (cursor) {
    if (!Number.isSafeInteger(Number(cursor))) throw new DomainError('invalid_cursor', 'The cursor is not valid.');
    q = q.where('audit_log.id', '<', Number(cursor));
  }
  if (action) q = q.where('audit_log.action', 'like', `${action.replace(/[%_\\]/g, '\\$&')}%`);
  if (actorUserId) q = q.where('audit_log.actor_user_id', '=', actorUserId);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: new Date(r.at).toISOString(),
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      detail: r.detail,
      ip: r.ip,
      actor: r.actor_user_id ? { id: r.actor_user_id, name: r.actor_name, email: r.actor_email } : null,
    })),
    nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null,
  };
}
