/** Blocked addresses and domains: hidden from readers (never deleted) and never turned into contacts. */
export { blockedFor, isBlocked, notBlockedSql, workspaceBlocked, NOTHING_BLOCKED, type BlockedSet } from './filter.ts';
export { blockValue, readBlocklist, unblockEntry } from './commands.ts';
export { blocklistEntrySchema, presentEntry, type BlocklistEntryView } from './presenter.ts';
export { BlocklistError, type BlocklistErrorCode } from './errors.ts';
export { addEntry, findEntry, listEntries, normaliseBlockValue, removeEntry } from './repository.ts';
export type { BlockKind, BlockScope, BlocklistEntry, BlocklistTables } from './tables.ts';
