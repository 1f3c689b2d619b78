import type { Kysely } from 'kysely';
import type { User } from '../../auth/tables.ts';
import type { Database } from '../../db/schema.ts';
import { ForbiddenError } from '../../kernel/index.ts';
import { CrmError, type CrmErrorCode } from '../errors.ts';

/**
 * Everyone in the workspace reads every record; members change the records they own, admins change all.
 * (Who sees which EMAILS is a separate rule, applied by the mail store's visibility module.)
 */
export function assertCanEdit(user: User, ownerUserId: string): void {
  if (user.role !== 'admin' && user.id !== ownerUserId) {
    throw new ForbiddenError('Only the owner of this record or an admin can change it.');
  }
}

/**
 * The owner a write asks for: the caller by default. Members cannot give records to someone else
 * (that would be a way to edit and then lose access); admins can assign any active user.
 */
export async function resolveOwner(db: Kysely<Database>, user: User, requested: string | undefined): Promise<string> {
  if (requested === undefined || requested === user.id) return user.id;
  if (user.role !== 'admin') throw new ForbiddenError('Only admins can assign a record to someone else.');
  const found = await db.selectFrom('users').select('id').where('id', '=', requested).where('active', '=', true).executeTakeFirst();
  if (!found) throw new CrmError('unknown_owner', 'The owner is not an active user of this workspace.');
  return found.id;
}

/** Checks that referenced records exist, with a 422 naming the field (not a 500 from the foreign key). */
export async function assertExists(
  db: Kysely<Database>,
  table: 'companies' | 'contacts' | 'deals',
  id: string | null | undefined,
  code: CrmErrorCode,
): Promise<void> {
  if (!id) return;
  const found = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (!found) throw new CrmError(code, `The referenced ${table.replace(/s$/, '').replace(/ie$/, 'y')} does not exist.`);
}
