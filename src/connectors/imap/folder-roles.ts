import type { FolderRole, RemoteFolder } from '../types.ts';
import { ROLE_NAMES, SPECIAL_USE_ROLES } from './folder-names.ts';

/** One LIST entry as the connector sees it (a subset of imapflow's ListResponse). */
export interface ListedFolder {
  path: string;
  name: string;
  delimiter: string | null;
  flags: Iterable<string>;
  /** The special-use attribute the server reported, if any (not a guess from the name). */
  specialUse: string | null;
}

const NAME_TO_ROLE = new Map<string, { role: Exclude<FolderRole, null>; rank: number }>();
for (const [role, names] of ROLE_NAMES) {
  for (const [rank, name] of names.entries()) NAME_TO_ROLE.set(name.toLowerCase(), { role, rank });
}

function roleFromFlags(entry: ListedFolder): Exclude<FolderRole, null> | null {
  const candidates = [entry.specialUse, ...entry.flags].filter((f): f is string => Boolean(f));
  for (const flag of candidates) {
    const role = SPECIAL_USE_ROLES[flag.toLowerCase()];
    if (role) return role;
  }
  return null;
}

function isSelectable(entry: ListedFolder): boolean {
  return ![...entry.flags].some((f) => /^\\(noselect|nonexistent)$/i.test(f));
}

/**
 * Gives each folder its role: what the server says (SPECIAL-USE) first; then, only for roles no folder
 * claimed that way, the name table — one folder per role, the best-ranked name, top-level before nested.
 */
export function assignRoles(entries: readonly ListedFolder[]): RemoteFolder[] {
  const roles = entries.map((e) => (e.path.toUpperCase() === 'INBOX' ? 'inbox' : roleFromFlags(e)));
  const claimed = new Set(roles.filter(Boolean));
  const best = new Map<Exclude<FolderRole, null>, { index: number; score: number }>();
  entries.forEach((entry, index) => {
    if (roles[index] || !isSelectable(entry)) return;
    const match = NAME_TO_ROLE.get(entry.name.toLowerCase());
    if (!match || claimed.has(match.role)) return;
    const depth = entry.delimiter ? entry.path.split(entry.delimiter).length - 1 : 0;
    // Nesting depth weighs more than rank: "Sent" at the top beats "INBOX/Sent Items/Sent".
    const score = depth * 100 + match.rank;
    const current = best.get(match.role);
    if (!current || score < current.score) best.set(match.role, { index, score });
  });
  for (const [role, { index }] of best) roles[index] = role;
  return entries.map((entry, index) => ({
    id: entry.path,
    name: entry.name,
    path: entry.path,
    delimiter: entry.delimiter,
    role: roles[index] ?? null,
    selectable: isSelectable(entry),
  }));
}
