import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { sha256Hex } from '../secrets.ts';
import { SESSION_IDLE_MS } from '../sessions.ts';

/**
 * The id a session is shown by. The row's own id is the hash of the cookie; this is a hash of that, so
 * the list never hands out the value the server looks cookies up by.
 */
function publicSessionId(rowId: string): string {
  return sha256Hex(`session:${rowId}`).slice(0, 32);
}

async function liveSessions(db: Kysely<Database>, userId: string) {
  const now = Date.now();
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', new Date(now))
    .where('last_seen_at', '>', new Date(now - SESSION_IDLE_MS))
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** A person's signed-in browsers, newest use first; `current` marks the one asking. */
export async function listSessions(db: Kysely<Database>, userId: string, currentSessionId: string | undefined) {
  return (await liveSessions(db, userId)).map((row) => ({
    id: publicSessionId(row.id),
    createdAt: new Date(row.created_at).toISOString(),
    lastSeenAt: new Date(row.last_seen_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
    current: row.id === currentSessionId,
  }));
}

/** Signs one of a person's own sessions out; another user's session is "not found", like one that never was. */
export async function revokeSession(db: Kysely<Database>, userId: string, publicId: string, ip: string): Promise<void> {
  const row = (await liveSessions(db, userId)).find((s) => publicSessionId(s.id) === publicId);
  if (!row) throw new NotFoundError('session');
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('id', '=', row.id).execute();
    await recordAudit(trx, { actorUserId: userId, action: 'auth.session_revoke', targetType: 'user', targetId: userId, ip });
  });
}
