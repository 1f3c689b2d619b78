import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';
import { BlocklistError } from './errors.ts';
import type { BlockKind, BlockScope, BlocklistEntry } from './tables.ts';

const ADDRESS = /^[^\s@]+@[a-z0-9.-]+\.[a-z0-9-]{2,}$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,}$/;

/** "@Spam.COM" → "spam.com"; throws invalid_value when the value is not of its kind. */
export function normaliseBlockValue(kind: BlockKind, value: string): string {
  const v = value
    .trim()
    .toLowerCase()
    .replace(kind === 'domain' ? /^@/ : /^$/, '');
  if (!(kind === 'address' ? ADDRESS : DOMAIN).test(v))
    throw new BlocklistError('invalid_value', `"${value.slice(0, 100)}" is not ${kind === 'address' ? 'an email address' : 'a domain'}.`);
  return v;
}

/** What the user sees: the workspace's entries and their own. */
export function listEntries(db: Kysely<Database>, userId: string): Promise<BlocklistEntry[]> {
  return db
    .selectFrom('blocklist_entries')
    .selectAll()
    .where((eb) => eb.or([eb('scope', '=', 'workspace'), eb('user_id', '=', userId)]))
    .orderBy('scope')
    .orderBy('kind')
    .orderBy('value')
    .execute();
}

export async function addEntry(
  db: Kysely<Database>,
  e: { scope: BlockScope; userId: string | null; kind: BlockKind; value: string; createdBy: string },
): Promise<BlocklistEntry> {
  try {
    return await db
      .insertInto('blocklist_entries')
      .values({ scope: e.scope, user_id: e.scope === 'user' ? e.userId : null, kind: e.kind, value: e.value, created_by: e.createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new BlocklistError('already_blocked', 'This entry is already on the blocklist.', { cause: error });
    throw error;
  }
}

export function findEntry(db: Kysely<Database>, id: string): Promise<BlocklistEntry | undefined> {
  return db.selectFrom('blocklist_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function removeEntry(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('blocklist_entries').where('id', '=', id).execute();
}
