import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { sha256Hex } from './secrets.ts';
import { SESSION_IDLE_MS } from './sessions.ts';

/** How a long request (an event stream) was signed in, kept to ask again later. */
export type Credential = { kind: 'session'; sessionId: string } | { kind: 'token'; secret: string };

/**
 * Whether a credential would still sign a request in now: the session exists, has not expired or idled
 * out, and its user is active; or the token is not revoked and its user is active. Unlike a request, it
 * never marks the session or token as used, so a stream left open does not keep a session alive.
 */
export async function stillSignedIn(db: Kysely<Database>, credential: Credential): Promise<boolean> {
  const now = new Date();
  if (credential.kind === 'session') {
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.id')
      .where('sessions.id', '=', credential.sessionId)
      .where('users.active', '=', true)
      .where('sessions.expires_at', '>', now)
      .where('sessions.last_seen_at', '>', new Date(now.getTime() - SESSION_IDLE_MS))
      .executeTakeFirst();
    return row !== undefined;
  }
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select('api_tokens.id')
    .where('api_tokens.token_hash', '=', sha256Hex(credential.secret))
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}
