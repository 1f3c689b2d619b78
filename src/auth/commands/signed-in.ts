import type { Transaction } from 'kysely';
import { recordAudit } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import { presentUser, type PresentedUser } from '../presenters.ts';
import { type ClientMeta, createSession, type NewSession } from '../sessions.ts';
import { markSignedIn } from '../users.ts';

/**
 * How every way in ends (first-admin setup, password sign-in): a new session, the user's last sign-in
 * time and the audit line, all in the caller's transaction so none stands without the others.
 */
export async function openSession(
  trx: Transaction<Database>,
  userId: string,
  client: ClientMeta,
  audit: { action: string; detail?: Record<string, unknown> },
): Promise<{ user: PresentedUser; session: NewSession }> {
  const session = await createSession(trx, userId, client);
  const user = await markSignedIn(trx, userId);
  await recordAudit(trx, { ...audit, actorUserId: userId, targetType: 'user', targetId: userId, ip: client.ip });
  return { user: presentUser(user), session };
}
