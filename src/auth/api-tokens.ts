import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import type { TokenScope } from './tables.ts';

export interface TokenOptions {
  /** After this moment the token is refused; null: until revoked. */
  expiresAt?: Date | null | undefined;
  scope?: TokenScope | undefined;
}

/** Personal API tokens look like `tdg_<43 chars>`; the prefix makes leaked tokens easy to grep for. */
export const TOKEN_PREFIX = 'tdg_';

export async function createApiToken(db: Kysely<Database>, userId: string, name: string, options: TokenOptions = {}) {
  const secret = TOKEN_PREFIX + randomToken(32);
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name,
      token_hash: sha256Hex(secret),
      prefix: secret.slice(0, 8),
      expires_at: options.expiresAt ?? null,
      scope: options.scope ?? 'full',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, secret };
}

/** Resolves a bearer token that is neither revoked nor expired to its user and scope, recording when it was last used. */
export async function findUserIdByToken(
  db: Kysely<Database>,
  secret: string,
): Promise<{ userId: string; tokenId: string; scope: TokenScope } | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const now = new Date();
  const row = await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('token_hash', '=', sha256Hex(secret))
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .returning(['id', 'user_id', 'scope'])
    .executeTakeFirst();
  return row ? { userId: row.user_id, tokenId: row.id, scope: row.scope } : null;
}

export function listApiTokens(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiToken(db: Kysely<Database>, userId: string, tokenId: string): Promise<boolean> {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
