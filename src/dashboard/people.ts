import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Active users by name (id and name only): owner pickers and owner labels need colleagues' names. */
export function listPeople(db: Kysely<Database>): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('users').select(['id', 'name']).where('active', '=', true).orderBy('name').orderBy('id').execute();
}
