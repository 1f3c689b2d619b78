import { ConnectorError, type FolderRole, type RemoteFolder } from '../types.ts';
import type { GraphClient } from './graph-client.ts';

/** Graph's well-known folder names and the roles Tidings gives them. */
export const WELL_KNOWN_ROLES: Record<string, Exclude<FolderRole, null>> = {
  inbox: 'inbox',
  sentitems: 'sent',
  drafts: 'drafts',
  deleteditems: 'trash',
  junkemail: 'junk',
  archive: 'archive',
};

export interface GraphFolderJson {
  id?: unknown;
  displayName?: unknown;
  parentFolderId?: unknown;
  childFolderCount?: unknown;
  totalItemCount?: unknown;
  wellKnownName?: unknown;
}

/** Bounds a hostile or broken folder tree. */
const MAX_FOLDERS = 5_000;
const MAX_DEPTH = 20;

/**
 * Roles from `wellKnownName` where Graph gives it (beta, and our harness); v1.0 folders lack it, so the
 * ids of the well-known folders asked by name (`knownIds`) decide then. One role per folder, first wins.
 */
export function assignGraphRoles(
  folders: Array<{ id: string; wellKnownName: string | null }>,
  knownIds: Map<string, string>,
): Map<string, FolderRole> {
  const roles = new Map<string, FolderRole>();
  const taken = new Set<FolderRole>();
  for (const f of folders) {
    const name = f.wellKnownName ?? knownIds.get(f.id) ?? null;
    const role = name ? (WELL_KNOWN_ROLES[name.toLowerCase()] ?? null) : null;
    if (role && !taken.has(role)) {
      taken.add(role);
      roles.set(f.id, role);
    } else roles.set(f.id, null);
  }
  return roles;
}

/** Every page of a folder listing, following @odata.nextLink. */
async function listPages(client: GraphClient, first: string, operation: string, seen: number): Promise<GraphFolderJson[]> {
  const out: GraphFolderJson[] = [];
  let next: string | undefined = first;
  while (next) {
    const page: { json: { value?: unknown; '@odata.nextLink'?: unknown } } = await client.json('GET', next, { operation });
    const { json } = page;
    if (!Array.isArray(json.value)) throw new ConnectorError('protocol_error', `Graph ${operation}: the answer has no folder list.`);
    out.push(...(json.value as GraphFolderJson[]));
    if (seen + out.length > MAX_FOLDERS)
      throw new ConnectorError('protocol_error', `Graph ${operation}: more than ${MAX_FOLDERS} folders.`);
    next = typeof json['@odata.nextLink'] === 'string' ? json['@odata.nextLink'] : undefined;
  }
  return out;
}

/** Ids of the well-known folders, asked by name in one JSON batch (Graph v1.0 folders do not say). */
async function wellKnownIds(client: GraphClient, userPath: string): Promise<Map<string, string>> {
  const names = Object.keys(WELL_KNOWN_ROLES);
  const { json } = await client.json<{ responses?: unknown }>('POST', '/$batch', {
    operation: 'find the well-known folders',
    body: { requests: names.map((name, i) => ({ id: String(i), method: 'GET', url: `/${userPath}/mailFolders/${name}?$select=id` })) },
  });
  const out = new Map<string, string>();
  for (const r of Array.isArray(json.responses)
    ? (json.responses as Array<{ id?: unknown; status?: unknown; body?: { id?: unknown } }>)
    : []) {
    const name = names[Number(r.id)];
    if (name && r.status === 200 && typeof r.body?.id === 'string') out.set(r.body.id, name);
  }
  return out;
}

/** The whole folder tree, paths joined with '/', roles from the well-known names. */
export async function listGraphFolders(client: GraphClient, userPath: string): Promise<RemoteFolder[]> {
  type Listed = { id: string; name: string; path: string; wellKnownName: string | null; children: number };
  const listed: Listed[] = [];
  const take = (items: GraphFolderJson[], parentPath: string): Listed[] =>
    items.flatMap((f) => {
      if (typeof f.id !== 'string' || !f.id) return [];
      const name = typeof f.displayName === 'string' ? f.displayName : f.id;
      const entry = {
        id: f.id,
        name,
        path: parentPath ? `${parentPath}/${name}` : name,
        wellKnownName: typeof f.wellKnownName === 'string' ? f.wellKnownName : null,
        children: typeof f.childFolderCount === 'number' ? f.childFolderCount : 0,
      };
      listed.push(entry);
      return [entry];
    });
  let level = take(await listPages(client, `/${userPath}/mailFolders?$top=100`, 'list folders', 0), '');
  for (let depth = 0; level.length && depth < MAX_DEPTH; depth++) {
    const next: Listed[] = [];
    for (const parent of level.filter((f) => f.children > 0)) {
      const url = `/${userPath}/mailFolders/${encodeURIComponent(parent.id)}/childFolders?$top=100`;
      next.push(...take(await listPages(client, url, 'list folders', listed.length), parent.path));
    }
    level = next;
  }
  const known = listed.some((f) => f.wellKnownName) ? new Map<string, string>() : await wellKnownIds(client, userPath);
  const roles = assignGraphRoles(listed, known);
  return listed.map((f) => ({ id: f.id, name: f.name, path: f.path, delimiter: '/', role: roles.get(f.id) ?? null, selectable: true }));
}
