// The mailboxes behind the Graph harness server (graph-server.ts): folders, messages with immutable and
// per-folder REST ids, and a change log per folder from which delta rounds are answered.
import { randomBytes } from 'node:crypto';
import { HarnessError } from './errors.ts';

/** Graph's well-known folder names the harness creates for every mailbox, with their display names. */
export const WELL_KNOWN_FOLDERS: Record<string, string> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  junkemail: 'Junk Email',
  archive: 'Archive',
};

export interface GraphFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  wellKnownName: string | null;
  /** Bumped by expireDeltaTokens: tokens of an older epoch get 410. */
  epoch: number;
}

export interface GraphMessage {
  /** What `Prefer: IdType="ImmutableId"` returns: kept across moves. */
  immutableId: string;
  /** The default REST id: a new one after every move, as Exchange's entry ids are. */
  restId: string;
  folderId: string;
  raw: Buffer;
  isRead: boolean;
  flagStatus: 'notFlagged' | 'flagged' | 'complete';
  receivedDateTime: string;
  internetMessageId: string | null;
  subject: string;
  /** Messages created from MIME over the API are drafts, as Graph makes them. */
  isDraft: boolean;
  changeKey: string;
}

/** One entry of a folder's change log: the message changed (or arrived) or left the folder. */
interface ChangeEntry {
  seq: number;
  immutableId: string;
  /** The REST id the message had in this folder when it left. */
  restId: string;
  left: 'deleted' | 'changed' | null;
}

export interface DeltaItem {
  message?: GraphMessage;
  removed?: { immutableId: string; restId: string; reason: 'deleted' | 'changed' };
}

/** Graph's ids are long base64url strings; these look alike and never collide. */
export function graphId(prefix = 'AAMk'): string {
  return `${prefix}${randomBytes(30).toString('base64url')}`;
}

function header(raw: Buffer, name: string): string | null {
  const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n')) || raw.length).toString('latin1');
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1].replace(/\r?\n[ \t]+/g, ' ').trim() : null;
}

export class GraphMailbox {
  readonly rootId = graphId('AQMkRoot');
  readonly folders = new Map<string, GraphFolder>();
  readonly messages = new Map<string, GraphMessage>();
  /** REST id → immutable id, for every REST id a message ever had (old ones answer 404 after a move). */
  private readonly byRestId = new Map<string, string>();
  private readonly log = new Map<string, ChangeEntry[]>();
  private seq = 0;
  restDisabled = false;

  constructor(readonly address: string) {
    for (const [wellKnownName, displayName] of Object.entries(WELL_KNOWN_FOLDERS)) {
      this.addFolder(displayName, this.rootId, wellKnownName);
    }
  }

  addFolder(displayName: string, parentFolderId: string, wellKnownName: string | null = null): GraphFolder {
    const folder: GraphFolder = { id: graphId('AAMkFolder'), displayName, parentFolderId, wellKnownName, epoch: 0 };
    this.folders.set(folder.id, folder);
    this.log.set(folder.id, []);
    return folder;
  }

  /** A folder by id or well-known name (as Graph accepts both in URLs), or undefined. */
  folder(idOrName: string): GraphFolder | undefined {
    const lower = idOrName.toLowerCase();
    return this.folders.get(idOrName) ?? [...this.folders.values()].find((f) => f.wellKnownName === lower);
  }

  folderOrThrow(idOrName: string): GraphFolder {
    const f = this.folder(idOrName);
    if (!f) throw new HarnessError('GRAPH_NO_FOLDER', `no folder ${idOrName} in ${this.address}`);
    return f;
  }

  childrenOf(parentId: string): GraphFolder[] {
    return [...this.folders.values()].filter((f) => f.parentFolderId === parentId);
  }

  inFolder(folderId: string): GraphMessage[] {
    return [...this.messages.values()].filter((m) => m.folderId === folderId);
  }

  /** A message by its immutable or current REST id. */
  message(id: string): GraphMessage | undefined {
    const immutable = this.messages.has(id) ? id : this.byRestId.get(id);
    const m = immutable ? this.messages.get(immutable) : undefined;
    return m && (m.immutableId === id || m.restId === id) ? m : undefined;
  }

  private record(folderId: string, m: GraphMessage, left: ChangeEntry['left']): void {
    this.seq += 1;
    this.log.get(folderId)?.push({ seq: this.seq, immutableId: m.immutableId, restId: m.restId, left });
  }

  deliver(
    folderIdOrName: string,
    raw: Buffer,
    opts: { isRead?: boolean; flagged?: boolean; receivedDateTime?: string; isDraft?: boolean } = {},
  ): GraphMessage {
    const folder = this.folderOrThrow(folderIdOrName);
    const m: GraphMessage = {
      immutableId: graphId('AAkALg'),
      restId: graphId('AAMkMsg'),
      folderId: folder.id,
      raw,
      isRead: opts.isRead ?? false,
      flagStatus: opts.flagged ? 'flagged' : 'notFlagged',
      receivedDateTime: opts.receivedDateTime ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      internetMessageId: header(raw, 'Message-ID'),
      subject: header(raw, 'Subject') ?? '',
      isDraft: opts.isDraft ?? false,
      changeKey: graphId('CQAA'),
    };
    this.messages.set(m.immutableId, m);
    this.byRestId.set(m.restId, m.immutableId);
    this.record(folder.id, m, null);
    return m;
  }

  update(m: GraphMessage, change: { isRead?: boolean; flagStatus?: GraphMessage['flagStatus'] }): void {
    if (change.isRead !== undefined) m.isRead = change.isRead;
    if (change.flagStatus !== undefined) m.flagStatus = change.flagStatus;
    m.changeKey = graphId('CQAA');
    this.record(m.folderId, m, null);
  }

  move(m: GraphMessage, targetIdOrName: string): GraphMessage {
    const target = this.folderOrThrow(targetIdOrName);
    if (target.id === m.folderId) return m;
    this.record(m.folderId, m, 'changed');
    m.folderId = target.id;
    m.restId = graphId('AAMkMsg');
    m.changeKey = graphId('CQAA');
    this.byRestId.set(m.restId, m.immutableId);
    this.record(target.id, m, null);
    return m;
  }

  remove(m: GraphMessage): void {
    this.messages.delete(m.immutableId);
    this.record(m.folderId, m, 'deleted');
  }

  /** Makes every delta token of the folder (or of all folders) answer 410 from now on. */
  expireDeltaTokens(folderIdOrName?: string): void {
    const folders = folderIdOrName ? [this.folderOrThrow(folderIdOrName)] : [...this.folders.values()];
    for (const f of folders) f.epoch += 1;
  }

  /** Where a delta token taken now would start. */
  position(): number {
    return this.seq;
  }

  /**
   * The items of a delta round: every message of the folder (no token), or what changed after `since`,
   * one item per message (its latest state), removals included.
   */
  delta(folderId: string, since: number | null): DeltaItem[] {
    if (since === null) return this.inFolder(folderId).map((message) => ({ message }));
    const latest = new Map<string, ChangeEntry>();
    for (const e of this.log.get(folderId) ?? []) if (e.seq > since) latest.set(e.immutableId, e);
    const out: DeltaItem[] = [];
    for (const e of latest.values()) {
      const m = this.messages.get(e.immutableId);
      if (m && m.folderId === folderId) out.push({ message: m });
      else out.push({ removed: { immutableId: e.immutableId, restId: e.restId, reason: e.left ?? 'deleted' } });
    }
    return out;
  }
}
