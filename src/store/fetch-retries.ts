import { sql, type Kysely, type Transaction } from 'kysely';
import type { RemoteMessageRef } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** When to try a message again: `firstMs` after it was given up on, doubling per try, at most `maxMs`. */
export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { firstMs: 15 * 60_000, maxMs: 24 * 3600_000 };

/** The wait before try number `tries + 1` (tries already made since the message was given up on). */
export function retryDelay(policy: RetryPolicy, tries: number): number {
  return Math.min(policy.maxMs, policy.firstMs * 2 ** Math.min(tries, 30));
}

/** The retries of one folder as the server numbers it now (its generation). */
function folderRetries(db: Db, folderId: string, generation: string) {
  return db.selectFrom('mail_fetch_retries').where('folder_id', '=', folderId).where('generation', '=', generation);
}

/** Messages of this folder (and generation) due for another try, oldest first. */
export async function dueRetries(
  db: Db,
  folderId: string,
  generation: string,
  now: Date,
  limit = 500,
): Promise<Array<{ ref: RemoteMessageRef; tries: number }>> {
  return folderRetries(db, folderId, generation)
    .select(['ref', 'tries'])
    .where('next_try_at', '<=', now)
    .orderBy('first_failed_at')
    .limit(limit)
    .execute();
}

/** Folders of the mailbox with a message due for another try. */
export async function foldersWithDueRetries(db: Db, mailboxId: string, now: Date): Promise<Set<string>> {
  const rows = await db
    .selectFrom('mail_fetch_retries')
    .select('folder_id')
    .distinct()
    .where('mailbox_id', '=', mailboxId)
    .where('next_try_at', '<=', now)
    .execute();
  return new Set(rows.map((r) => r.folder_id));
}

/** Remote ids of this folder (and generation) waiting for another try, due or not. */
export async function waitingRetryIds(db: Db, folderId: string, generation: string): Promise<string[]> {
  const rows = await folderRetries(db, folderId, generation).select('remote_id').execute();
  return rows.map((r) => r.remote_id);
}

/** Messages of the mailbox still waiting for the server to return them. */
export async function countWaitingRetries(db: Db, mailboxId: string): Promise<number> {
  const row = await db
    .selectFrom('mail_fetch_retries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Messages given up on in this round: first try again at `at`. A row already there keeps its history. */
export async function scheduleRetries(
  db: Db,
  mailboxId: string,
  folderId: string,
  generation: string,
  refs: RemoteMessageRef[],
  at: Date,
): Promise<void> {
  if (!refs.length) return;
  await db
    .insertInto('mail_fetch_retries')
    .values(
      refs.map((ref) => ({
        folder_id: folderId,
        generation,
        remote_id: ref.remoteId,
        mailbox_id: mailboxId,
        ref: JSON.stringify(ref),
        next_try_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['folder_id', 'generation', 'remote_id']).doNothing())
    .execute();
}

/** Retried and still not returned: the next try at the time given per message (one statement). */
export async function postponeRetries(
  db: Db,
  folderId: string,
  generation: string,
  missed: Array<{ remoteId: string; at: Date }>,
): Promise<void> {
  if (!missed.length) return;
  await sql`
    update mail_fetch_retries r set tries = r.tries + 1, next_try_at = m.at
    from unnest(${missed.map((m) => m.remoteId)}::text[], ${missed.map((m) => m.at.toISOString())}::timestamptz[]) as m(remote_id, at)
    where r.folder_id = ${folderId} and r.generation = ${generation} and r.remote_id = m.remote_id`.execute(db);
}

/** Gone from the folder: nothing left to retry for these. */
export async function clearRetries(db: Db, folderId: string, generation: string, remoteIds: string[]): Promise<void> {
  if (!remoteIds.length) return;
  await db
    .deleteFrom('mail_fetch_retries')
    .where('folder_id', '=', folderId)
    .where('generation', '=', generation)
    .where('remote_id', 'in', remoteIds)
    .execute();
}

/**
 * Messages now stored in the folder (fetched by a retry or a full listing, or linked): done. Once per
 * round, with the batch that saves the cursor, rather than in every batch of an import.
 */
export async function clearStoredRetries(db: Db, folderId: string, generation: string): Promise<void> {
  await sql`
    delete from mail_fetch_retries r using message_folders m
    where r.folder_id = ${folderId} and r.generation = ${generation}
      and m.folder_id = r.folder_id and m.uid_validity = r.generation and m.remote_id = r.remote_id`.execute(db);
}

/** After a full listing: rows of another generation, or of messages no longer in the folder, go. */
export async function keepOnlyRetries(db: Db, folderId: string, generation: string, keep: string[]): Promise<void> {
  await db
    .deleteFrom('mail_fetch_retries')
    .where('folder_id', '=', folderId)
    .where(outsideListing('generation', generation, keep))
    .execute();
}

/**
 * What a full listing of a folder no longer covers: a row of another generation (UIDVALIDITY), or one
 * whose remote id the listing did not name. An empty listing covers nothing.
 */
export function outsideListing(generationColumn: 'generation' | 'uid_validity', generation: string, keep: string[]) {
  if (!keep.length) return sql<boolean>`true`;
  return sql<boolean>`(${sql.ref(generationColumn)} <> ${generation} or remote_id <> all(${keep}::text[]))`;
}
