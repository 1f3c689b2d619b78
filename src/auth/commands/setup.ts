import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AuthError } from '../errors.ts';
import type { PresentedUser } from '../presenters.ts';
import type { ClientMeta, NewSession } from '../sessions.ts';
import { countUsers, insertUser } from '../users.ts';
import { openSession } from './signed-in.ts';

export interface FirstAdminInput {
  email: string;
  name: string;
  password: string;
  locale?: string | undefined;
}

/** Whether Tidings still waits for its first admin. */
export async function setupNeeded(db: Kysely<Database>): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/** Creates the first admin while no user exists, and signs them in. */
export async function setUpFirstAdmin(
  db: Kysely<Database>,
  input: FirstAdminInput,
  client: ClientMeta,
): Promise<{ user: PresentedUser; session: NewSession }> {
  // The check and the insert share a transaction-scoped advisory lock so two racing setups cannot both win.
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7120001)`.execute(trx);
    if ((await countUsers(trx)) > 0) throw new AuthError('setup_done', 'Tidings is already set up; sign in instead.');
    const created = await insertUser(trx, { ...input, role: 'admin' });
    return openSession(trx, created.id, client, { action: 'setup.first_admin' });
  });
}
