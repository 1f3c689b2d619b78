import {
  type ChangeListener,
  type ChangesOptions,
  type ConnectorCapabilities,
  ConnectorError,
  type FetchedMessage,
  type FlagChange,
  type FlagName,
  type FolderChanges,
  type FolderCursor,
  type FolderStatus,
  type MailConnector,
  type RemoteFolder,
  type Watcher,
  type WatchFailureListener,
} from '../types.ts';
import { EwsClient } from './ews-client.ts';
import { listEwsFolders } from './ews-folders.ts';
import { EwsHttp } from './ews-http.ts';
import type { EwsConnectorOptions } from './index.ts';
import { changesSince, statusStamp } from './ews-sync.ts';
import { pollingWatch } from '../poll-watch.ts';
import { watchStreaming } from './ews-watch.ts';

/** GetItem batches: by count and by the bytes their sources may add up to. */
const FETCH_BATCH = 50;
const FETCH_BATCH_BYTES = 8 * 1024 * 1024;
/** ErrorServerBusy asking for at most this long is waited out in place; longer goes to the engine's backoff. */
const WAIT_IN_PLACE_MS = 15_000;
const BUSY_RETRIES = 3;
/** How often a watch without streaming notifications looks at the folder's counts. */
const POLL_WATCH_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs an EWS call, waiting out ErrorServerBusy's BackOffMilliseconds as Exchange asks. */
export async function withBackOff<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const wait = err instanceof ConnectorError && err.code === 'rate_limited' ? err.extra.retryAfterMs : undefined;
      if (wait === undefined || wait > WAIT_IN_PLACE_MS || attempt >= BUSY_RETRIES) throw err;
      await sleep(wait);
    }
  }
}

export class EwsConnector implements MailConnector {
  readonly capabilities: ConnectorCapabilities = { idle: true, qresync: true, condstore: false, move: true, gmail: false };
  private readonly client: EwsClient;
  /** Sizes seen in listings, so fetches can leave out sources over maxMessageBytes without asking again. */
  private readonly sizes = new Map<string, number>();

  constructor(private readonly opts: EwsConnectorOptions) {
    this.client = new EwsClient(new EwsHttp(opts));
  }

  private call<T>(fn: (c: EwsClient) => Promise<T>): Promise<T> {
    return withBackOff(() => fn(this.client));
  }

  async connect(): Promise<void> {
    // Signs in and proves the mailbox answers: GetFolder on the Inbox.
    await this.call((c) => c.getFolders(['inbox']));
  }

  async close(): Promise<void> {
    await this.client.http.close();
  }

  listFolders(): Promise<RemoteFolder[]> {
    return this.call((c) => listEwsFolders(c));
  }

  async changesSince(folderId: string, cursor: FolderCursor | null, opts: ChangesOptions = {}): Promise<FolderChanges> {
    const changes = await changesSince((fn) => this.call(fn), folderId, cursor, opts);
    for (const r of [...changes.added, ...changes.changed]) if (r.size !== null) this.sizes.set(r.remoteId, r.size);
    return changes;
  }

  async *fetchMessages(_folderId: string, remoteIds: string[]): AsyncIterable<FetchedMessage> {
    const cap = this.opts.maxMessageBytes ?? Number.POSITIVE_INFINITY;
    const unknown = remoteIds.filter((id) => !this.sizes.has(id));
    for (let i = 0; i < unknown.length; i += FETCH_BATCH) {
      for (const item of await this.call((c) => c.getItems(unknown.slice(i, i + FETCH_BATCH), 'properties'))) {
        this.sizes.set(item.ref.remoteId, item.ref.size ?? 0);
      }
    }
    const batch: string[] = [];
    let bytes = 0;
    const flush = async function* (this: EwsConnector, ids: string[]): AsyncIterable<FetchedMessage> {
      const byId = new Map((await this.call((c) => c.getItems(ids, 'mime'))).map((i) => [i.ref.remoteId, i]));
      for (const id of ids) {
        const item = byId.get(id);
        if (item?.mime) yield { ref: item.ref, source: item.mime };
      }
    };
    for (const id of remoteIds) {
      const size = this.sizes.get(id);
      if (size === undefined) continue; // gone since it was listed
      if (size > cap) {
        if (batch.length) yield* flush.call(this, batch.splice(0));
        bytes = 0;
        const [item] = await this.call((c) => c.getItems([id], 'headers'));
        if (item)
          yield {
            ref: item.ref,
            source: Buffer.from(`${(item.headers ?? '').replace(/\r?\n/g, '\r\n').trimEnd()}\r\n\r\n`),
            tooLarge: true,
          };
        continue;
      }
      if (batch.length && (batch.length >= FETCH_BATCH || bytes + size > FETCH_BATCH_BYTES)) {
        yield* flush.call(this, batch.splice(0));
        bytes = 0;
      }
      batch.push(id);
      bytes += size;
    }
    if (batch.length) yield* flush.call(this, batch);
  }

  async setFlags(_folderId: string, remoteIds: string[], change: FlagChange): Promise<void> {
    const has = (list: FlagName[] | undefined, f: FlagName) => list?.includes(f) ?? false;
    const update: { isRead?: boolean; flagged?: boolean } = {};
    if (has(change.add, 'seen')) update.isRead = true;
    if (has(change.remove, 'seen')) update.isRead = false;
    if (has(change.add, 'flagged')) update.flagged = true;
    if (has(change.remove, 'flagged')) update.flagged = false;
    // answered, draft and deleted have no EWS field a client may set: they stay as they are.
    for (let i = 0; i < remoteIds.length; i += FETCH_BATCH) {
      await this.call((c) => c.updateItems(remoteIds.slice(i, i + FETCH_BATCH), update));
    }
  }

  async move(_folderId: string, remoteIds: string[], targetFolderId: string): Promise<Map<string, string> | null> {
    const out = new Map<string, string>();
    for (let i = 0; i < remoteIds.length; i += FETCH_BATCH) {
      const ids = remoteIds.slice(i, i + FETCH_BATCH);
      const moved = await this.call((c) => c.moveItems(ids, targetFolderId));
      ids.forEach((id, k) => {
        const next = moved[k];
        if (next) out.set(id, next);
      });
    }
    return out;
  }

  async expunge(_folderId: string, remoteIds: string[]): Promise<void> {
    for (let i = 0; i < remoteIds.length; i += FETCH_BATCH) {
      await this.call((c) => c.deleteItems(remoteIds.slice(i, i + FETCH_BATCH), 'HardDelete'));
    }
  }

  findByMessageId(folderId: string, messageIdHeader: string): Promise<string[]> {
    return this.call((c) => c.findByInternetMessageId(folderId, messageIdHeader));
  }

  async append(folderId: string, source: Buffer, flags: FlagName[] = []): Promise<{ remoteId: string | null }> {
    return { remoteId: await this.call((c) => c.createItem(folderId, source, flags.includes('seen'))) };
  }

  async watch(folderId: string, onChange: ChangeListener, onError: WatchFailureListener): Promise<Watcher> {
    try {
      return await this.call((c) => watchStreaming(c, folderId, onChange, onError));
    } catch (err) {
      // A server without streaming notifications (or with them switched off): poll the folder's counts.
      if (!(err instanceof ConnectorError) || !['server_error', 'protocol_error'].includes(err.code)) throw err;
      return this.pollCounts(folderId, onChange, onError);
    }
  }

  private async pollCounts(folderId: string, onChange: ChangeListener, onError: WatchFailureListener): Promise<Watcher> {
    let last = await this.folderStatus(folderId);
    const poll = async () => {
      const now = await this.folderStatus(folderId);
      if (now.total !== last.total || now.highestModseq !== last.highestModseq) onChange({ folderId, kind: 'unknown' });
      last = now;
    };
    return pollingWatch(this.opts.watchPollMs ?? POLL_WATCH_MS, poll, onError, 'EWS watch');
  }

  async folderStatus(folderId: string): Promise<FolderStatus> {
    const [f] = await this.call((c) => c.getFolders([folderId]));
    if (!f) throw new ConnectorError('folder_not_found', 'The folder is gone from the server.');
    return { total: f.total ?? 0, uidNext: null, highestModseq: statusStamp(f.unread), uidValidity: null };
  }
}
