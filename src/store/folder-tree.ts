import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readableMailboxes, type MailAccess } from './visibility.ts';
import { listFolders } from './folders.ts';

/** A folder as the mail reader's tree shows it. */
export interface FolderNode {
  id: string;
  name: string;
  path: string;
  role: string | null;
  selected: boolean;
  unread: number;
  total: number;
}

/** The mailbox's live, selectable folders with how many messages each holds and how many are unread. */
export async function folderTree(db: Kysely<Database>, mailboxId: string): Promise<FolderNode[]> {
  const folders = (await listFolders(db, mailboxId)).filter((f) => !f.removed_at && f.selectable);
  if (!folders.length) return [];
  const counts = await db
    .selectFrom('message_folders as mf')
    .innerJoin('messages as m', 'm.id', 'mf.message_id')
    .select(['mf.folder_id', sql<string>`count(*)`.as('total'), sql<string>`count(*) filter (where not m.seen)`.as('unread')])
    .where(
      'mf.folder_id',
      'in',
      folders.map((f) => f.id),
    )
    .groupBy('mf.folder_id')
    .execute();
  const byFolder = new Map(counts.map((c) => [c.folder_id, c]));
  return folders.map((f) => ({
    id: f.id,
    name: f.name,
    path: f.path,
    role: f.role,
    selected: f.selected,
    unread: Number(byFolder.get(f.id)?.unread ?? 0),
    total: Number(byFolder.get(f.id)?.total ?? 0),
  }));
}

export interface ReadableMailbox {
  id: string;
  email: string;
  displayName: string | null;
  access: MailAccess;
  owned: boolean;
  folders: FolderNode[];
}

/** Every mailbox the user may read, by address, each with its folder tree: the mail reader's side bar. */
export async function readableMailboxTree(db: Kysely<Database>, userId: string): Promise<ReadableMailbox[]> {
  const access = await readableMailboxes(db, userId);
  if (!access.size) return [];
  const rows = await db
    .selectFrom('mailboxes')
    .select(['id', 'email', 'display_name', 'owner_user_id'])
    .where('id', 'in', [...access.keys()])
    .orderBy('email')
    .execute();
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      access: access.get(r.id)!,
      owned: r.owner_user_id === userId,
      folders: await folderTree(db, r.id),
    })),
  );
}
