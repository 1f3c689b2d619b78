import { ImapFlow } from 'imapflow';
import {
  type ChangeListener,
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
import { clientOptionsFor, type ImapConnectorOptions, type ImapSettings, settingsForConnection } from './client-options.ts';
import { folderChanges, type ImapChangesOptions } from './folder-changes.ts';
import { assignRoles } from './folder-roles.ts';
import { failedCommand, toConnectorError } from './imap-errors.ts';
import { watchFolder, type WatchSession } from './imap-watch.ts';
import { ConnectionSlot } from './connection-slot.ts';
import { imapFlagsOf, refOf, refQuery } from './message-refs.ts';
import { chunk, parseUids, toSequenceSet } from './sequence-set.ts';

/** UIDs per UID FETCH of sources: big enough to stream at full speed, small enough to share the connection. */
export const FETCH_BATCH = 200;

const NO_CAPABILITIES: ConnectorCapabilities = { idle: false, qresync: false, condstore: false, move: false, gmail: false };

/** Command and download connections unused this long are logged out (ImapConnectorOptions.idleCloseMs). */
export const IDLE_CLOSE_MS = 20_000;

/**
 * IMAP connector on imapflow. Up to three kinds of connection: commands (never IDLE, callers take
 * turns), downloads (fetchMessages), one per `watch`. The first two are opened on first use, re-opened
 * after a drop and logged out when unused for a while, so a watched mailbox holds only its IDLE
 * connection between changes; STATUS goes over that one when there is one.
 */
export class ImapConnector implements MailConnector {
  /** Listing, flags, moves, appends, status: short commands that never wait behind a download. */
  private readonly commands: ConnectionSlot;
  /** fetchMessages only: a consumer may call other methods while it iterates without deadlocking. */
  private readonly downloads: ConnectionSlot;
  private readonly watchers = new Map<Watcher, WatchSession>();
  private caps: ConnectorCapabilities = NO_CAPABILITIES;

  constructor(
    private readonly settings: ImapSettings,
    private readonly opts: ImapConnectorOptions = {},
  ) {
    const idleCloseMs = opts.idleCloseMs ?? IDLE_CLOSE_MS;
    this.commands = new ConnectionSlot(() => this.open('command'), idleCloseMs);
    this.downloads = new ConnectionSlot(() => this.open('download'), idleCloseMs);
  }

  get capabilities(): ConnectorCapabilities {
    return this.caps;
  }

  async connect(): Promise<void> {
    await this.commands.get();
    this.commands.turnEnded();
  }

  async close(): Promise<void> {
    const watchers = [...this.watchers.keys()];
    this.watchers.clear();
    await Promise.allSettled([...watchers.map((w) => w.close()), this.commands.close(), this.downloads.close()]);
  }

  async listFolders(): Promise<RemoteFolder[]> {
    return this.withClient('LIST', async (client) => {
      const entries = await client.list();
      return assignRoles(
        entries.map((e) => ({
          path: e.path,
          name: e.name,
          delimiter: e.delimiter || null,
          flags: e.flags,
          // imapflow also guesses special use from names; only the server's own word counts here.
          specialUse: e.specialUseSource === 'extension' || e.specialUse === '\\Inbox' ? (e.specialUse ?? null) : null,
        })),
      );
    });
  }

  /**
   * Changes since `cursor`; see folder-changes.ts for the strategies. Without QRESYNC, deletions are told
   * from `knownRemoteIds` (the engine's list, asked for with `needsKnownRemoteIds` when offered).
   */
  async changesSince(folderId: string, cursor: FolderCursor | null, opts: ImapChangesOptions = {}): Promise<FolderChanges> {
    return this.withClient('sync', (client) => folderChanges(client, folderId, cursor, opts, { gmail: this.caps.gmail }));
  }

  /**
   * Streams sources, FETCH_BATCH UIDs per UID FETCH, yielding each message as it arrives. Within a batch
   * the server's order (ascending UID) applies; UIDs no longer in the folder are skipped. Runs on its own
   * connection, so the consumer may call the other methods meanwhile; two downloads take turns by batch.
   * An iterator abandoned without return() keeps that connection's turn: always finish or break.
   *
   * One message the server cannot send (an unreadable file, a store error) fails the whole UID FETCH,
   * Dovecot by dropping the connection. The rest of that batch is then fetched one UID at a time, so
   * only the culprit is missing from what is yielded (the engine decides how often to ask again).
   */
  async *fetchMessages(folderId: string, remoteIds: string[]): AsyncIterable<FetchedMessage> {
    const uids = parseUids(remoteIds);
    for (const batch of chunk(uids, this.opts.fetchBatchSize ?? FETCH_BATCH)) {
      const got = new Set<number>();
      try {
        yield* this.fetchBatch(folderId, batch, got);
        continue;
      } catch (err) {
        if (!isMessageFailure(err)) throw err;
        if (batch.length === 1) {
          this.fetchFailed(batch[0], err);
          continue;
        }
      }
      for (const uid of batch) {
        if (got.has(uid)) continue;
        try {
          yield* this.fetchBatch(folderId, [uid], got);
        } catch (err) {
          if (!isMessageFailure(err)) throw err;
          this.fetchFailed(uid, err);
        }
      }
    }
  }

  /** One UID FETCH on the download connection; records in `got` each UID yielded. */
  private async *fetchBatch(folderId: string, batch: number[], got: Set<number>): AsyncIterable<FetchedMessage> {
    const release = await this.downloads.mutex.acquire();
    let client: ImapFlow;
    try {
      // Outside the FETCH error mapping: open() already throws ConnectorErrors for connection failures,
      // and a token source's error (a revoked OAuth grant) must reach the engine as it is, not as a
      // per-message failure.
      client = await this.downloads.get();
    } catch (err) {
      release();
      throw err;
    }
    try {
      await this.select(client, folderId, highest(batch));
      // After get(): the capabilities (Gmail or not) are known only once a connection is open.
      const cap = this.opts.maxMessageBytes;
      // A partial fetch (BODY.PEEK[]<0.cap>): the server never sends more than the cap of one message.
      const query = { ...refQuery(this.caps.gmail), source: cap ? { start: 0, maxLength: cap } : true };
      for await (const msg of client.fetch(toSequenceSet(batch), query, { uid: true })) {
        if (!msg.source) continue;
        got.add(msg.uid);
        // Without RFC822.SIZE, a source cut at the cap is taken as over it.
        if (cap && (msg.size ? msg.size > cap : msg.source.length >= cap))
          yield { ref: refOf(msg, client.mailbox), source: headerBlock(msg.source), tooLarge: true };
        else yield { ref: refOf(msg, client.mailbox), source: msg.source };
      }
    } catch (err) {
      throw toConnectorError(err, 'FETCH');
    } finally {
      release();
      this.downloads.turnEnded();
    }
  }

  private fetchFailed(uid: number, err: unknown): void {
    this.opts.logger?.warn({ uid, code: (err as ConnectorError).code }, 'imap message could not be fetched');
  }

  async setFlags(folderId: string, remoteIds: string[], change: FlagChange): Promise<void> {
    const uids = parseUids(remoteIds);
    if (uids.length === 0) return;
    await this.withClient('STORE', async (client) => {
      await this.select(client, folderId, highest(uids));
      for (const part of chunk(uids, 1_000)) {
        const set = toSequenceSet(part);
        if (change.add?.length && !(await client.messageFlagsAdd(set, imapFlagsOf(change.add), { uid: true })))
          throw failedCommand('STORE', 'the flag change');
        if (change.remove?.length && !(await client.messageFlagsRemove(set, imapFlagsOf(change.remove), { uid: true })))
          throw failedCommand('STORE', 'the flag change');
      }
    });
  }

  async move(folderId: string, remoteIds: string[], targetFolderId: string): Promise<Map<string, string> | null> {
    const uids = parseUids(remoteIds);
    if (uids.length === 0) return new Map();
    return this.withClient('MOVE', async (client) => {
      await this.select(client, folderId, highest(uids));
      // imapflow falls back to COPY + \Deleted + EXPUNGE when the server has no MOVE.
      const result = await client.messageMove(toSequenceSet(uids), targetFolderId, { uid: true });
      if (!result) throw failedCommand('MOVE', 'the move');
      if (!result.uidMap) return null;
      return new Map([...result.uidMap].map(([from, to]) => [String(from), String(to)]));
    });
  }

  /**
   * UID EXPUNGE with UIDPLUS. Without UIDPLUS plain EXPUNGE also removes any other message someone else
   * marked \Deleted in this folder: that is IMAP's meaning of \Deleted, so we accept it.
   */
  async expunge(folderId: string, remoteIds: string[]): Promise<void> {
    const uids = parseUids(remoteIds);
    if (uids.length === 0) return;
    await this.withClient('EXPUNGE', async (client) => {
      await this.select(client, folderId, highest(uids));
      if (!(await client.messageDelete(toSequenceSet(uids), { uid: true }))) throw failedCommand('EXPUNGE', 'the expunge');
    });
  }

  async append(folderId: string, source: Buffer, flags: FlagName[] = []): Promise<{ remoteId: string | null }> {
    return this.withClient('APPEND', async (client) => {
      const result = await client.append(folderId, source, imapFlagsOf(flags));
      if (!result) throw failedCommand('APPEND', 'the message');
      return { remoteId: result.uid ? String(result.uid) : null };
    });
  }

  async findByMessageId(folderId: string, messageIdHeader: string): Promise<string[]> {
    return this.withClient('SEARCH', async (client) => {
      // A fresh SELECT (or NOOP) so a message appended a moment ago by someone else is seen.
      await this.select(client, folderId);
      await client.noop();
      const uids = await client.search({ header: { 'message-id': messageIdHeader } }, { uid: true });
      return (uids || []).map(String);
    });
  }

  async folderStatus(folderId: string): Promise<FolderStatus> {
    const ask = async (client: ImapFlow) => {
      const status = await client.status(folderId, {
        messages: true,
        uidNext: true,
        uidValidity: true,
        highestModseq: this.caps.condstore,
      });
      if (!status) throw failedCommand('STATUS', 'the status request');
      return {
        total: status.messages ?? 0,
        uidNext: status.uidNext !== undefined ? String(status.uidNext) : null,
        highestModseq: status.highestModseq !== undefined ? status.highestModseq.toString() : null,
        uidValidity: status.uidValidity !== undefined ? status.uidValidity.toString() : null,
      };
    };
    // A watch connection takes STATUS between its IDLEs (imapflow breaks IDLE for it and idles again), so
    // polling the other folders opens no connection. STATUS never changes that connection's selected folder.
    const watching = [...this.watchers.values()].find((w) => w.client.usable && w.client.mailbox && w.client.mailbox.path !== folderId);
    if (watching) {
      try {
        return await ask(watching.client);
      } catch (err) {
        throw toConnectorError(err, 'STATUS');
      }
    }
    return this.withClient('STATUS', ask);
  }

  async watch(folderId: string, onChange: ChangeListener, onError: WatchFailureListener): Promise<Watcher> {
    const options = clientOptionsFor(await settingsForConnection(this.settings), this.opts, 'watch');
    const inner = await watchFolder(options, folderId, onChange, onError).catch((err: unknown) => {
      throw this.noticeAuthFailure(toConnectorError(err, 'watch', 'connect'));
    });
    const watcher: Watcher = {
      close: async () => {
        this.watchers.delete(watcher);
        await inner.close();
      },
    };
    this.watchers.set(watcher, inner);
    return watcher;
  }

  /**
   * Makes `path` the selected folder. A connection that already has it selected keeps its view from
   * that SELECT: a UID FETCH of a message that arrived since returns nothing (no error). When
   * `highestUid` is at or past the UIDNEXT this connection knows, a NOOP first lets the server report
   * the new messages (EXISTS), so the fetch sees them. One round trip, and only when new mail is asked
   * for; imapflow raises its uidNext as it sees FETCH rows, so the next batch does not pay it again.
   */
  private async select(client: ImapFlow, path: string, highestUid?: number): Promise<void> {
    const mailbox = client.mailbox;
    if (!mailbox || mailbox.path !== path) {
      await client.mailboxOpen(path);
      return;
    }
    if (highestUid !== undefined && highestUid >= mailbox.uidNext) await client.noop();
  }

  private async withClient<T>(operation: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    try {
      return await this.commands.mutex.run(async () => {
        const client = await this.commands.get();
        try {
          return await fn(client);
        } catch (err) {
          throw toConnectorError(err, operation);
        }
      });
    } finally {
      this.commands.turnEnded();
    }
  }

  private noticeAuthFailure(err: ConnectorError): ConnectorError {
    if (err.code === 'auth_failed') {
      try {
        this.opts.onAuthFailure?.(err);
      } catch {
        // The callback's failure is not the connection's.
      }
    }
    return err;
  }

  private async open(purpose: 'command' | 'download'): Promise<ImapFlow> {
    const client = new ImapFlow(clientOptionsFor(await settingsForConnection(this.settings), this.opts, 'command'));
    let lastError: unknown;
    // Emitted at most once per connection (then it closes); commands in flight reject on their own.
    client.on('error', (err: unknown) => {
      lastError = err;
      const code = toConnectorError(err, 'connection').code;
      // An unused connection times out after socketTimeout and is re-opened on next use: not news.
      (code === 'timeout' ? this.opts.logger?.debug : this.opts.logger?.warn)?.call(
        this.opts.logger,
        { code, purpose },
        'imap connection error',
      );
    });
    try {
      await client.connect();
    } catch (err) {
      client.close();
      throw this.noticeAuthFailure(toConnectorError(lastError ?? err, 'connect', 'connect'));
    }
    const capabilities = client.capabilities;
    this.caps = {
      idle: capabilities.has('IDLE'),
      qresync: client.enabled.has('QRESYNC'),
      condstore: client.enabled.has('CONDSTORE'),
      move: capabilities.has('MOVE'),
      gmail: capabilities.has('X-GM-EXT-1'),
    };
    return client;
  }
}

/**
 * Errors a single message can cause while the server and the network are fine: the server refused
 * the FETCH (NO/BAD) or closed the connection in the middle of it. Not failing to connect again.
 */
function isMessageFailure(err: unknown): boolean {
  return err instanceof ConnectorError && (err.code === 'server_error' || err.code === 'connection_lost' || err.code === 'protocol_error');
}

/** The largest UID (no spread: a flag change may name 100 000 of them). */
function highest(uids: readonly number[]): number {
  let max = 0;
  for (const uid of uids) if (uid > max) max = uid;
  return max;
}

/** Creates an IMAP connector; nothing connects until the first call (or connect()). */
export function createImapConnector(settings: ImapSettings, opts: ImapConnectorOptions = {}): ImapConnector {
  return new ImapConnector(settings, opts);
}

/** The header block of a source (through the blank line), copied so the rest of the bytes can go. */
function headerBlock(source: Buffer): Buffer {
  const end = source.indexOf('\r\n\r\n');
  const lf = end < 0 ? source.indexOf('\n\n') : -1;
  const cut = end >= 0 ? end + 4 : lf >= 0 ? lf + 2 : source.length;
  return Buffer.from(source.subarray(0, cut));
}
