import { ConnectorError, type FolderChanges, type FolderCursor, type RemoteMessageRef } from '../types.ts';
import type { EwsClient, ItemChange } from './ews-client.ts';

/** Exchange's documented maximum for SyncFolderItems' MaxChangesReturned. */
const MAX_CHANGES = 512;
/** What a poll compares besides the count: the unread count, so read changes elsewhere wake a round. */
export const statusStamp = (unread: number | null): string | null => (unread === null ? null : `unread:${unread}`);
/** More pages than this for one folder round (512 changes each) is a server that never ends. */
const MAX_PAGES = 2_000;
/** Empty pages that still say "more": a few happen on busy servers; many are a loop. */
const MAX_EMPTY_PAGES = 5;

type Call = <T>(fn: (c: EwsClient) => Promise<T>) => Promise<T>;

const syncStateOf = (cursor: FolderCursor | null): string | null => (typeof cursor?.syncState === 'string' ? cursor.syncState : null);

/** Pages SyncFolderItems from `syncState` to the end of the range. */
async function allPages(call: Call, folderId: string, syncState: string | null): Promise<{ changes: ItemChange[]; syncState: string }> {
  const changes: ItemChange[] = [];
  let state = syncState;
  let empty = 0;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw new ConnectorError('protocol_error', `SyncFolderItems still had more after ${MAX_PAGES} pages.`);
    const p = await call((c) => c.syncFolderItems(folderId, state, MAX_CHANGES));
    changes.push(...p.changes);
    empty = p.changes.length === 0 ? empty + 1 : 0;
    if (!p.last && (empty >= MAX_EMPTY_PAGES || p.syncState === state)) {
      throw new ConnectorError('protocol_error', 'SyncFolderItems keeps saying there is more without giving any (endless paging).');
    }
    state = p.syncState;
    if (p.last) return { changes, syncState: state };
  }
}

/** Every item now in the folder, from a listing with no SyncState. */
async function fullListing(call: Call, folderId: string): Promise<{ refs: RemoteMessageRef[]; syncState: string }> {
  const { changes, syncState } = await allPages(call, folderId, null);
  const refs = new Map<string, RemoteMessageRef>();
  for (const c of changes) {
    if (c.kind === 'create' || c.kind === 'update') refs.set(c.ref.remoteId, c.ref);
    else if (c.kind === 'delete') refs.delete(c.id);
  }
  return { refs: [...refs.values()], syncState };
}

const newestFirst = (a: RemoteMessageRef, b: RemoteMessageRef) => (b.internalDate?.getTime() ?? 0) - (a.internalDate?.getTime() ?? 0);
const inWindow = (from: Date | null | undefined) => (r: RemoteMessageRef) => !from || !r.internalDate || r.internalDate >= from;

/**
 * A folder round. With a usable SyncState: the changes since (Create → added, Update/ReadFlagChange →
 * changed, Delete → removed). Without one, or when Exchange calls it invalid
 * (ErrorInvalidSyncStateData): a full listing, `kind: 'full'`, so the engine compares by ItemId and
 * stores nothing twice. EWS reports its own removals, so the engine's lists are not needed.
 */
export async function changesSince(
  call: Call,
  folderId: string,
  cursor: FolderCursor | null,
  opts: { since?: Date | null; widenTo?: Date | null },
): Promise<FolderChanges> {
  const before = syncStateOf(cursor);
  let incremental: { changes: ItemChange[]; syncState: string } | null = null;
  if (before) {
    try {
      incremental = await allPages(call, folderId, before);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.extra.serverResponse === 'ErrorInvalidSyncStateData')) throw err;
    }
  }
  const status = async (syncState: string) => {
    const [f] = await call((c) => c.getFolders([folderId]));
    if (!f) throw new ConnectorError('folder_not_found', 'The folder is gone from the server.');
    // total, uidNext and highestModseq as folderStatus reports them, so a poll compares like with like.
    const nextCursor = { syncState, total: f.total ?? 0, uidNext: null, highestModseq: statusStamp(f.unread) };
    return { total: f.total ?? 0, nextCursor };
  };

  if (!incremental) {
    const { refs, syncState } = await fullListing(call, folderId);
    const { nextCursor } = await status(syncState);
    return {
      kind: 'full',
      added: refs.filter(inWindow(opts.since)).sort(newestFirst),
      changed: [],
      removed: [],
      nextCursor,
      total: refs.length,
    };
  }

  // Within one round an item can be created and then deleted, or changed and then deleted: deletion wins.
  const removed = new Set(incremental.changes.filter((c) => c.kind === 'delete').map((c) => (c as { id: string }).id));
  const added = new Map<string, RemoteMessageRef>();
  const changed = new Map<string, RemoteMessageRef>();
  const readOnly: string[] = [];
  for (const c of incremental.changes) {
    if (c.kind === 'delete') continue;
    const id = c.kind === 'read' ? c.id : c.ref.remoteId;
    if (removed.has(id)) continue;
    if (c.kind === 'create') added.set(id, c.ref);
    else if (c.kind === 'update') changed.set(id, c.ref);
    else if (!added.has(id) && !changed.has(id)) readOnly.push(id);
  }
  // ReadFlagChange gives IsRead alone: the engine needs every flag of a changed message.
  for (let i = 0; i < readOnly.length; i += 100) {
    const items = await call((c) => c.getItems(readOnly.slice(i, i + 100), 'properties'));
    for (const item of items) if (!added.has(item.ref.remoteId)) changed.set(item.ref.remoteId, item.ref);
  }
  for (const id of added.keys()) changed.delete(id);
  if (opts.widenTo !== undefined) {
    // A widened window: the folder's older messages too, among added (the engine skips those it holds).
    const { refs } = await fullListing(call, folderId);
    for (const r of refs.filter(inWindow(opts.widenTo))) if (!added.has(r.remoteId) && !removed.has(r.remoteId)) added.set(r.remoteId, r);
  }
  const { total, nextCursor } = await status(incremental.syncState);
  return {
    kind: 'incremental',
    added: [...added.values()].sort(newestFirst),
    changed: [...changed.values()],
    removed: [...removed],
    nextCursor,
    total,
  };
}
