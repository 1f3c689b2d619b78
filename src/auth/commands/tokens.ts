import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { createApiToken, revokeApiToken, type TokenOptions } from '../api-tokens.ts';
import { presentToken } from '../presenters.ts';
import type { Actor } from './actor.ts';

/**
 * Creates a personal API token; the secret is in this answer and nowhere else, ever. Through the API the
 * person confirms with their password first (`confirmIdentity`); the `tidings` command runs as the operator.
 */
export async function createToken(db: Kysely<Database>, userId: string, name: string, actor: Actor, options: TokenOptions = {}) {
  return db.transaction().execute(async (trx) => {
    const { row, secret } = await createApiToken(trx, userId, name, options);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: 'token.create',
      targetType: 'api_token',
      targetId: row.id,
      ip: actor.ip,
      detail: {
        scope: row.scope,
        ...(row.expires_at && { expiresAt: new Date(row.expires_at).toISOString() }),
        ...(actor.via && { via: actor.via, user: userId }),
      },
    });
    return { token: presentToken(row), secret };
  });
}

/** Revokes one of the caller's own tokens; another user's token is "not found", like one that never was. */
export async function revokeToken(db: Kysely<Database>, userId: string, tokenId: string, ip: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await revokeApiToken(trx, userId, tokenId))) throw new NotFoundError('token');
    await recordAudit(trx, { actorUserId: userId, action: 'token.revoke', targetType: 'api_token', targetId: tokenId, ip });
  });
}
