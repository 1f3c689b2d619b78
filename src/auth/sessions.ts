import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { randomToken, sha256Hex } from './secrets.ts';

/** A session ends after this long without use... */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** ...and after this long whatever happens. */
export const SESSION_ABSOLUTE_MS = 14 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface NewSession {
  cookieValue: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Where a request came from, as the audit trail and the session list keep it. */
export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

export async function createSession(db: Kysely<Database>, userId: string, meta: ClientMeta): Promise<NewSession> {
  const cookieValue = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
  await db
    .insertInto('sessions')
    .values({
      id: sha256Hex(cookieValue),
      user_id: userId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { cookieValue, csrfToken, expiresAt };
}

export interface SessionWithUser {
  sessionId: string;
  csrfToken: string;
  userId: string;
}

/** Finds a live session for a cookie value; expired ones are deleted on sight. */
export async function findSession(db: Kysely<Database>, cookieValue: string): Promise<SessionWithUser | null> {
  const id = sha256Hex(cookieValue);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.csrf_token', 'sessions.user_id', 'sessions.expires_at', 'sessions.last_seen_at', 'users.active'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const idleFor = now - new Date(row.last_seen_at).getTime();
  if (!row.active || new Date(row.expires_at).getTime() <= now || idleFor > SESSION_IDLE_MS) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (idleFor > TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
  }
  return { sessionId: row.id, csrfToken: row.csrf_token, userId: row.user_id };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
