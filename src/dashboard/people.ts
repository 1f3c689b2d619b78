import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Active users by name (id, name and team only): owner pickers, owner labels and the team filter need them. */
export function listPeople(db: Kysely<Database>): Promise<Array<{ id: string; name: string; team: string | null }>> {
  return db.selectFrom('users').select(['id', 'name', 'team']).where('active', '=', true).orderBy('name').orderBy('id').execute();
}
