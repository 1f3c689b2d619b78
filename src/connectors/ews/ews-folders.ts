import type { FolderRole, RemoteFolder } from '../types.ts';
import type { EwsClient, EwsFolderInfo } from './ews-client.ts';

/** Distinguished folder ids and the roles they stand for. */
export const DISTINGUISHED_ROLES: Array<[name: string, role: Exclude<FolderRole, null>]> = [
  ['inbox', 'inbox'],
  ['sentitems', 'sent'],
  ['drafts', 'drafts'],
  ['deleteditems', 'trash'],
  ['junkemail', 'junk'],
  ['archive', 'archive'],
];

/** Mail folders have class IPF.Note (or a subclass, or none on old folders); calendars and contacts are skipped. */
const isMailFolder = (f: EwsFolderInfo & { element: string }) =>
  f.element === 'Folder' && (f.folderClass === null || f.folderClass === 'IPF' || f.folderClass.startsWith('IPF.Note'));

/**
 * The mailbox's mail folders with paths built from parent ids (separator "/"), roles from the
 * distinguished ids. Folder ids are EWS FolderIds, which, unlike ItemIds, stay the same for a folder's life.
 */
export async function listEwsFolders(client: EwsClient): Promise<RemoteFolder[]> {
  const folders = await client.syncFolderHierarchy();
  // 'archive' is unknown to some servers: GetFolder answers that part with an error, read as "none".
  const known = await client.getFolders(DISTINGUISHED_ROLES.map(([name]) => name));
  const roles = new Map<string, FolderRole>();
  known.forEach((f, i) => {
    if (f) roles.set(f.id, DISTINGUISHED_ROLES[i]![1]);
  });
  const byId = new Map(folders.map((f) => [f.id, f]));
  const pathOf = (f: EwsFolderInfo, depth = 0): string => {
    const parent = f.parentId ? byId.get(f.parentId) : undefined;
    const name = f.name.replaceAll('/', '∕');
    return parent && depth < 32 ? `${pathOf(parent, depth + 1)}/${name}` : name;
  };
  return folders.filter(isMailFolder).map((f) => ({
    id: f.id,
    name: f.name,
    path: pathOf(f),
    delimiter: '/',
    role: roles.get(f.id) ?? null,
    selectable: true,
  }));
}
