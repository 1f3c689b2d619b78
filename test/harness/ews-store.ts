import { randomBytes } from 'node:crypto';

/**
 * The mailbox state behind the EWS harness: folders, items and a per-folder change log from which
 * SyncFolderItems answers (collapsed per item, as Exchange reports one change per item and sync round).
 */
export interface EwsItem {
  id: string;
  changeKey: string;
  folderId: string;
  mime: Buffer;
  isRead: boolean;
  flagged: boolean;
  messageId: string | null;
  subject: string;
  received: Date;
}

export interface EwsFolder {
  id: string;
  changeKey: string;
  /** The DistinguishedFolderId name (inbox, sentitems, …), if any. */
  distinguished: string | null;
  name: string;
  parentId: string;
  folderClass: string;
  items: Map<string, EwsItem>;
  log: ChangeEntry[];
}

export type ChangeKind = 'create' | 'read' | 'update' | 'delete';

interface ChangeEntry {
  seq: number;
  itemId: string;
  kind: ChangeKind;
}

export type SyncChange =
  | { kind: 'Create' | 'Update'; item: EwsItem }
  | { kind: 'ReadFlagChange'; item: EwsItem }
  | { kind: 'Delete'; itemId: string };

export interface StoreEvent {
  kind: 'NewMailEvent' | 'CreatedEvent' | 'ModifiedEvent' | 'MovedEvent' | 'DeletedEvent';
  folderId: string;
  itemId: string;
  oldFolderId?: string;
  oldItemId?: string;
}

/** Item and folder ids look like Exchange's: long base64 strings, new for every item (and every move). */
export const newEwsId = () => `AAMkA${randomBytes(30).toString('base64')}`;
const newChangeKey = () => `CQAAABYAAA${randomBytes(9).toString('base64')}`;

interface SyncStateData {
  f: string;
  g: number;
  s: number;
  /** A round being paged: its upper bound and how many changes were already given. */
  p?: { u: number; k: number };
}

export class InvalidSyncState extends Error {}

const WELL_KNOWN: Array<[string, string]> = [
  ['inbox', 'Inbox'],
  ['sentitems', 'Sent Items'],
  ['drafts', 'Drafts'],
  ['deleteditems', 'Deleted Items'],
  ['junkemail', 'Junk Email'],
  ['archive', 'Archive'],
];

const headerValue = (mime: Buffer, name: string): string | null => {
  const end = mime.indexOf('\r\n\r\n');
  const head = mime.subarray(0, end < 0 ? Math.min(mime.length, 64 * 1024) : end).toString('utf8');
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : null;
};

export class EwsMailboxStore {
  readonly rootId = newEwsId();
  readonly folders = new Map<string, EwsFolder>();
  private seq = 0;
  /** Bumped to invalidate every SyncState handed out so far. */
  private generation = 1;
  hierarchyVersion = 1;
  private listeners = new Set<(e: StoreEvent) => void>();

  constructor() {
    for (const [distinguished, name] of WELL_KNOWN) this.addFolder(name, { distinguished });
    // Not mail: the hierarchy lists it, mail clients skip it by its class.
    this.addFolder('Calendar', { distinguished: 'calendar', folderClass: 'IPF.Appointment' });
  }

  onEvent(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    for (const l of this.listeners) l(e);
  }

  addFolder(name: string, opts: { distinguished?: string; parentId?: string; folderClass?: string } = {}): EwsFolder {
    const folder: EwsFolder = {
      id: newEwsId(),
      changeKey: newChangeKey(),
      distinguished: opts.distinguished ?? null,
      name,
      parentId: opts.parentId ?? this.rootId,
      folderClass: opts.folderClass ?? 'IPF.Note',
      items: new Map(),
      log: [],
    };
    this.folders.set(folder.id, folder);
    this.hierarchyVersion += 1;
    return folder;
  }

  folder(idOrDistinguished: string): EwsFolder | undefined {
    const byId = this.folders.get(idOrDistinguished);
    if (byId) return byId;
    if (idOrDistinguished === 'msgfolderroot') return undefined;
    return [...this.folders.values()].find((f) => f.distinguished === idOrDistinguished);
  }

  folderByName(name: string): EwsFolder | undefined {
    return [...this.folders.values()].find((f) => f.name === name || f.distinguished === name);
  }

  private record(folder: EwsFolder, itemId: string, kind: ChangeKind): void {
    this.seq += 1;
    folder.log.push({ seq: this.seq, itemId, kind });
  }

  /** A message arrives (transport delivery): a new item, unread unless `isRead`. */
  deliver(folder: EwsFolder, mime: Buffer, opts: { isRead?: boolean; flagged?: boolean; received?: Date; event?: boolean } = {}): EwsItem {
    const dateHeader = headerValue(mime, 'Date');
    const parsedDate = dateHeader ? new Date(dateHeader) : null;
    const item: EwsItem = {
      id: newEwsId(),
      changeKey: newChangeKey(),
      folderId: folder.id,
      mime,
      isRead: opts.isRead ?? false,
      flagged: opts.flagged ?? false,
      messageId: headerValue(mime, 'Message-ID'),
      subject: headerValue(mime, 'Subject') ?? '',
      received: opts.received ?? (parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate : new Date()),
    };
    folder.items.set(item.id, item);
    this.record(folder, item.id, 'create');
    if (opts.event !== false) this.emit({ kind: 'NewMailEvent', folderId: folder.id, itemId: item.id });
    return item;
  }

  findItem(itemId: string): EwsItem | undefined {
    for (const f of this.folders.values()) {
      const item = f.items.get(itemId);
      if (item) return item;
    }
    return undefined;
  }

  update(item: EwsItem, change: { isRead?: boolean; flagged?: boolean }): void {
    const folder = this.folders.get(item.folderId)!;
    const onlyRead = change.flagged === undefined || change.flagged === item.flagged;
    if (change.isRead !== undefined) item.isRead = change.isRead;
    if (change.flagged !== undefined) item.flagged = change.flagged;
    item.changeKey = newChangeKey();
    this.record(folder, item.id, onlyRead ? 'read' : 'update');
    this.emit({ kind: 'ModifiedEvent', folderId: folder.id, itemId: item.id });
  }

  /** MoveItem: the item gets a new id in the target folder, as Exchange gives it. */
  move(item: EwsItem, target: EwsFolder): EwsItem {
    const source = this.folders.get(item.folderId)!;
    source.items.delete(item.id);
    this.record(source, item.id, 'delete');
    const moved: EwsItem = { ...item, id: newEwsId(), changeKey: newChangeKey(), folderId: target.id };
    target.items.set(moved.id, moved);
    this.record(target, moved.id, 'create');
    this.emit({ kind: 'MovedEvent', folderId: target.id, itemId: moved.id, oldFolderId: source.id, oldItemId: item.id });
    return moved;
  }

  remove(item: EwsItem): void {
    const folder = this.folders.get(item.folderId)!;
    folder.items.delete(item.id);
    this.record(folder, item.id, 'delete');
    this.emit({ kind: 'DeletedEvent', folderId: folder.id, itemId: item.id });
  }

  invalidateSyncStates(): void {
    this.generation += 1;
  }

  private decode(folder: EwsFolder, syncState: string | null): SyncStateData {
    if (!syncState) return { f: folder.id, g: this.generation, s: 0 };
    let data: SyncStateData;
    try {
      data = JSON.parse(Buffer.from(syncState, 'base64').toString('utf8')) as SyncStateData;
    } catch {
      throw new InvalidSyncState('unreadable');
    }
    if (data.f !== folder.id || data.g !== this.generation || typeof data.s !== 'number') throw new InvalidSyncState('stale');
    return data;
  }

  private encode(data: SyncStateData): string {
    return Buffer.from(JSON.stringify(data)).toString('base64');
  }

  /** One SyncFolderItems round: up to `max` changes after `syncState`, and the state to ask with next. */
  sync(folder: EwsFolder, syncState: string | null, max: number): { changes: SyncChange[]; syncState: string; last: boolean } {
    const state = this.decode(folder, syncState);
    const upto = state.p?.u ?? this.seq;
    const skip = state.p?.k ?? 0;
    const perItem = new Map<string, { kinds: Set<ChangeKind>; last: ChangeKind; seq: number }>();
    for (const e of folder.log) {
      if (e.seq <= state.s || e.seq > upto) continue;
      const entry = perItem.get(e.itemId) ?? { kinds: new Set<ChangeKind>(), last: e.kind, seq: e.seq };
      entry.kinds.add(e.kind);
      entry.last = e.kind;
      entry.seq = e.seq;
      perItem.set(e.itemId, entry);
    }
    const all: SyncChange[] = [];
    for (const [itemId, e] of [...perItem.entries()].sort((a, b) => a[1].seq - b[1].seq)) {
      const item = folder.items.get(itemId);
      const created = e.kinds.has('create');
      if (e.last === 'delete') {
        if (!created) all.push({ kind: 'Delete', itemId });
      } else if (!item) {
        // Deleted after this round's snapshot: the next round reports it.
      } else if (created) all.push({ kind: 'Create', item });
      else all.push({ kind: e.kinds.has('update') ? 'Update' : 'ReadFlagChange', item });
    }
    const page = all.slice(skip, skip + max);
    const last = skip + page.length >= all.length;
    const next: SyncStateData = last ? { f: folder.id, g: this.generation, s: upto } : { ...state, p: { u: upto, k: skip + page.length } };
    return { changes: page, syncState: this.encode(next), last };
  }
}
