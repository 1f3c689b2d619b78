import type {
  ChangeListener,
  ChangesOptions,
  ConnectorCapabilities,
  FetchedMessage,
  FlagChange,
  FlagName,
  FolderChanges,
  FolderCursor,
  FolderStatus,
  MailConnector,
  RemoteFolder,
  Watcher,
  WatchFailureListener,
} from '../types.ts';
import { GraphClient } from './graph-client.ts';
import { folderDelta, folderTotal } from './graph-delta.ts';
import { listGraphFolders } from './graph-folders.ts';
import { createFromMime, deleteMessages, fetchSources, findByInternetMessageId, moveMessages, patchFlags } from './graph-messages.ts';
import { pollFolder } from './graph-watch.ts';
import type { GraphConnectorOptions } from './index.ts';

/** A Microsoft 365 mailbox over Microsoft Graph behind the connector interface. */
export class GraphConnector implements MailConnector {
  /** `idle`: watch() works (by polling delta), so the engine watches the Inbox as it does over IMAP IDLE. */
  readonly capabilities: ConnectorCapabilities = { idle: true, qresync: false, condstore: false, move: true, gmail: false };
  private readonly client: GraphClient;
  private readonly userPath: string;
  /** The newest deltaLink seen per folder, where watch() starts. */
  private readonly lastLinks = new Map<string, string>();

  constructor(private readonly opts: GraphConnectorOptions) {
    this.client = new GraphClient(opts);
    this.userPath = opts.user === 'me' ? 'me' : `users/${encodeURIComponent(opts.user)}`;
  }

  async connect(): Promise<void> {
    // Proves the token and the mailbox before any round: a refusal shows as auth_failed at once.
    await this.client.json('GET', `/${this.userPath}/mailFolders/inbox?$select=id`, { operation: 'open the mailbox' });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  listFolders(): Promise<RemoteFolder[]> {
    return listGraphFolders(this.client, this.userPath);
  }

  async changesSince(folderId: string, cursor: FolderCursor | null, opts: ChangesOptions = {}): Promise<FolderChanges> {
    const changes = await folderDelta(this.client, this.userPath, folderId, cursor, { since: opts.since, widenTo: opts.widenTo });
    this.lastLinks.set(folderId, changes.nextCursor.deltaLink as string);
    return changes;
  }

  fetchMessages(_folderId: string, remoteIds: string[]): AsyncIterable<FetchedMessage> {
    return fetchSources(this.client, this.userPath, remoteIds, this.opts.maxMessageBytes);
  }

  setFlags(_folderId: string, remoteIds: string[], change: FlagChange): Promise<void> {
    return patchFlags(this.client, this.userPath, remoteIds, change);
  }

  move(_folderId: string, remoteIds: string[], targetFolderId: string): Promise<Map<string, string> | null> {
    return moveMessages(this.client, this.userPath, remoteIds, targetFolderId);
  }

  /** DELETE: out of every view; in Deleted Items that is what "delete for good" means to Outlook users. */
  expunge(_folderId: string, remoteIds: string[]): Promise<void> {
    return deleteMessages(this.client, this.userPath, remoteIds);
  }

  findByMessageId(folderId: string, messageIdHeader: string): Promise<string[]> {
    return findByInternetMessageId(this.client, this.userPath, folderId, messageIdHeader);
  }

  async append(folderId: string, source: Buffer, flags: FlagName[] = []): Promise<{ remoteId: string | null }> {
    return { remoteId: await createFromMime(this.client, this.userPath, folderId, source, flags) };
  }

  async watch(folderId: string, onChange: ChangeListener, onError: WatchFailureListener): Promise<Watcher> {
    const latestLink = () => this.lastLinks.get(folderId) ?? null;
    return pollFolder(this.client, this.userPath, folderId, latestLink, this.opts.pollIntervalMs ?? 2000, onChange, onError);
  }

  /** Graph has no UIDNEXT or MODSEQ: the engine then asks for a delta each poll, which is Graph's own way. */
  async folderStatus(folderId: string): Promise<FolderStatus> {
    return { total: await folderTotal(this.client, this.userPath, folderId), uidNext: null, highestModseq: null, uidValidity: null };
  }
}
