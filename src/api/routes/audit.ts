import { z } from 'zod';
import { requireAdmin } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { DomainError } from '../../kernel/index.ts';

const querySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque: the id of the last entry of the previous page. */
  cursor: z.string().regex(/^\d+$/).optional(),
  action: z.string().max(60).optional(),
  actorUserId: z.uuid().optional(),
});

/** The audit trail, newest first, for admins. Entries never hold secrets (callers record field names only). */
export function auditRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/audit', { schema: { tags: ['settings'], querystring: querySchema } }, async (request) => {
    requireAdmin(request);
    const { limit, cursor, action, actorUserId } = request.query;
    let q = db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
      .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.target_type', 'audit_log.target_id', 'audit_log.detail', 'audit_log.ip', 'audit_log.actor_user_id', 'users.name as actor_name', 'users.email as actor_email'])
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
        id: String(r.id), at: new Date(r.at).toISOString(), action: r.action, targetType: r.target_type, targetId: r.target_id,
        detail: r.detail, ip: r.ip, actor: r.actor_user_id ? { id: r.actor_user_id, name: r.actor_name, email: r.actor_email } : null,
      })),
      nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null,
    };
  });
}
