import { sql, type Kysely } from 'kysely';
import type { RemoteFolder } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import type { FolderRow } from './tables.ts';

/**
 * Inbox and Sent unless the mailbox names its folders; on Gmail also All Mail, which holds the mail
 * archived out of the Inbox. Gmail's X-GM-MSGID links a message in several of them to one stored
 * message before any download, so All Mail costs no second copy of the Inbox.
 */
export function isSelectedByDefault(
  folder: Pick<RemoteFolder, 'id' | 'role'>,
  syncFolders: string[] | null,
  server: { gmail: boolean } = { gmail: false },
): boolean {
  if (syncFolders) return syncFolders.includes(folder.id);
  return folder.role === 'inbox' || folder.role === 'sent' || (server.gmail && folder.role === 'all');
}

/**
 * Records the server's folder list. Selection follows the mailbox's `sync_folders` (the single source of
 * truth); a folder gone from the server is marked removed and its memberships dropped by its next sync.
 */
export async function saveFolderList(
  db: Kysely<Database>,
  mailboxId: string,
  remote: RemoteFolder[],
  syncFolders: string[] | null,
  server: { gmail: boolean } = { gmail: false },
): Promise<FolderRow[]> {
  const usable = remote.filter((f) => f.selectable);
  if (usable.length) {
    await db
      .insertInto('mail_folders')
      .values(
        usable.map((f) => ({
          mailbox_id: mailboxId,
          remote_id: f.id,
          path: f.path,
          name: f.name,
          delimiter: f.delimiter,
          role: f.role,
          selectable: f.selectable,
          selected: isSelectedByDefault(f, syncFolders, server),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['mailbox_id', 'remote_id']).doUpdateSet({
          path: sql`excluded.path`,
          name: sql`excluded.name`,
          delimiter: sql`excluded.delimiter`,
          role: sql`excluded.role`,
          selectable: sql`excluded.selectable`,
          selected: sql`excluded.selected`,
          removed_at: null,
        }),
      )
      .execute();
  }
  const ids = usable.map((f) => f.id);
  await db
    .updateTable('mail_folders')
    .set({ removed_at: new Date(), selected: false })
    .where('mailbox_id', '=', mailboxId)
    .where('removed_at', 'is', null)
    .$if(ids.length > 0, (q) => q.where('remote_id', 'not in', ids))
    .execute();
  return listFolders(db, mailboxId);
}

export function listFolders(db: Kysely<Database>, mailboxId: string): Promise<FolderRow[]> {
  return db.selectFrom('mail_folders').selectAll().where('mailbox_id', '=', mailboxId).orderBy('path').execute();
}

export function getFolder(db: Kysely<Database>, folderId: string): Promise<FolderRow | undefined> {
  return db.selectFrom('mail_folders').selectAll().where('id', '=', folderId).executeTakeFirst();
}

/** Remote ids of this folder generation that are already stored (only among `among` when given). */
export async function storedRemoteIds(db: Kysely<Database>, folderId: string, generation: string, among?: string[]): Promise<Set<string>> {
  if (among && among.length === 0) return new Set();
  // Past a few thousand ids (a long time offline) the whole folder is cheaper than a huge IN list,
  // and PostgreSQL caps a statement at 65,535 parameters.
  if (among && among.length > 5_000) among = undefined;
  const rows = await db
    .selectFrom('message_folders')
    .select('remote_id')
    .where('folder_id', '=', folderId)
    .where('uid_validity', '=', generation)
    .$if(among !== undefined, (q) => q.where('remote_id', 'in', among!))
    .execute();
  return new Set(rows.map((r) => r.remote_id));
}

/** Whether any message is stored in this folder, of any generation. */
export async function folderHoldsMessages(db: Kysely<Database>, folderId: string): Promise<boolean> {
  const row = await db.selectFrom('message_folders').select('message_id').where('folder_id', '=', folderId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Message-ID headers of this folder's stored messages (any generation) dated before `before`, or
 * undated: those a full listing from that date would not find by date alone.
 */
export async function heldMessageIdsBefore(db: Kysely<Database>, folderId: string, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('message_folders as mf')
    .innerJoin('messages as m', 'm.id', 'mf.message_id')
    .select('m.message_id_header')
    .distinct()
    .where('mf.folder_id', '=', folderId)
    .where('m.message_id_header', 'is not', null)
    .where((eb) => eb.or([eb('m.date', '<', before), eb('m.date', 'is', null)]))
    .execute();
  return rows.map((r) => r.message_id_header!);
}

/**
 * Stored messages by the server's stable id (moves between folders keep it). The ids go as one array
 * parameter: a full listing may hold more of them than a statement may have parameters (65,535).
 */
export async function messagesByStableId(db: Kysely<Database>, mailboxId: string, stableIds: string[]): Promise<Map<string, string>> {
  if (!stableIds.length) return new Map();
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'stable_id'])
    .where(sql<boolean>`mailbox_id = ${mailboxId} and stable_id = any(${stableIds}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.stable_id!, r.id]));
}

export async function setFolderError(db: Kysely<Database>, folderId: string, error: string | null): Promise<void> {
  await db.updateTable('mail_folders').set({ last_error: error }).where('id', '=', folderId).execute();
}
