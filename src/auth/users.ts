import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { User } from './tables.ts';
import { hashPassword } from './passwords.ts';

export type Role = 'admin' | 'member';

export function findUserById(db: Kysely<Database>, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: Kysely<Database>,
  input: { email: string; name: string; role: Role; password: string; locale?: string | null; team?: string | null },
): Promise<User> {
  return db
    .insertInto('users')
    .values({
      email: input.email.trim(),
      name: input.name.trim(),
      role: input.role,
      password_hash: await hashPassword(input.password),
      locale: input.locale ?? null,
      team: input.team ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Notes a sign-in (or the first admin's setup) on the user's row; returns the row as it is now. */
export function markSignedIn(db: Kysely<Database>, userId: string): Promise<User> {
  return db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).returningAll().executeTakeFirstOrThrow();
}

export function listUsers(db: Kysely<Database>): Promise<User[]> {
  return db.selectFrom('users').selectAll().orderBy('created_at', 'asc').execute();
}
