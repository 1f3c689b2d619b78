/**
 * The connector interface: the only way the sync engine talks to a mail server. IMAP, Microsoft Graph
 * and EWS implement it. Nothing protocol-specific crosses this line: ids are
 * opaque strings, cursors are opaque JSON the connector alone reads.
 */
import { DomainError } from '../kernel/index.ts';

export type FolderRole = 'inbox' | 'sent' | 'drafts' | 'trash' | 'junk' | 'archive' | 'all' | 'flagged' | null;

export interface RemoteFolder {
  /** Stable within the mailbox (IMAP: the full path). */
  id: string;
  name: string;
  path: string;
  delimiter: string | null;
  role: FolderRole;
  /** false for \Noselect containers. */
  selectable: boolean;
}

export type FlagName = 'seen' | 'flagged' | 'answered' | 'draft' | 'deleted';

export interface RemoteMessageRef {
  /** Identifies the message in this folder for this cursor generation (IMAP: the UID as a string). */
  remoteId: string;
  /** A server identity that survives moves where the server offers one (Gmail X-GM-MSGID, IMAP OBJECTID/EMAILID). */
  stableId: string | null;
  /**
   * The Message-ID header where the protocol gives it without the source (Graph internetMessageId, EWS
   * InternetMessageId, IMAP ENVELOPE), as the server gives it: the engine, which matches them, normalises.
   * Absent where the connector did not ask for it.
   */
  messageId?: string | null;
  /** Gmail X-GM-THRID and alike. */
  threadId: string | null;
  flags: FlagName[];
  /** Other IMAP keywords as the server names them. */
  keywords: string[];
  /**
   * The message's labels where the server has them (Gmail X-GM-LABELS: user labels and \\Important), the
   * same whichever folder lists the message; [] is "no labels". Absent: the server has no labels, and
   * what is stored stays as it is.
   */
  labels?: string[];
  size: number | null;
  internalDate: Date | null;
  modseq: string | null;
}

/** Opaque to the engine; persisted as JSON beside the folder. */
export type FolderCursor = Record<string, unknown>;

export interface FolderChanges {
  /**
   * 'incremental': `added`, `changed` and `removed` are relative to the cursor given.
   * 'full': the cursor was unusable (first sync, UIDVALIDITY changed): `added` lists every message now in
   * the folder (newest first) and the engine must treat what it stored for this folder as unknown.
   */
  kind: 'incremental' | 'full';
  added: RemoteMessageRef[];
  changed: RemoteMessageRef[];
  removed: string[];
  /** The cursor to save once everything above is stored. */
  nextCursor: FolderCursor;
  /** Total messages in the folder now. */
  total: number;
  /**
   * Not an answer but a question: the connector cannot tell which messages left the folder without the
   * remote ids the engine holds (IMAP without QRESYNC, after a deletion). Set only when the call offered
   * them (`knownRemoteIds: 'on request'`); the engine asks again with the list. The lists are then empty
   * and `nextCursor` is the cursor given, so an answer taken as it is loses nothing.
   */
  needsKnownRemoteIds?: true;
  /**
   * A full listing with a window (`since`) of a folder the engine holds mail of: the folder's messages
   * received before the window, each with its `messageId`. They are not in `added`: the engine keeps
   * those it holds (a message moved in later keeps its old receive date) by matching Message-IDs.
   */
  beforeWindow?: RemoteMessageRef[];
}

/** What the engine tells a connector with `changesSince`: plain values, never calls back into the engine. */
export interface ChangesOptions {
  /** The backfill window of a full listing: messages received since (internal date); null: all. */
  since?: Date | null;
  /**
   * The window was widened (a date, or null for everything): an incremental round also lists the
   * folder's older messages in it, among `added`, so the engine fetches those it does not hold.
   */
  widenTo?: Date | null;
  /**
   * The engine holds no message of this folder (a first import). A full listing may then give bare
   * refs: remote ids only, flags, size and date left empty, since each fetched message brings its
   * own. Listing those for thousands of messages delayed the first import by a third of a second.
   */
  holdsNothing?: boolean;
  /**
   * The remote ids the engine has stored for this folder, for servers that cannot report deletions
   * themselves (IMAP without QRESYNC). Loading them costs O(folder), so the engine first offers them
   * ('on request'); a connector that needs them answers `needsKnownRemoteIds` and is asked again with
   * the list. Absent: such a connector falls back to a full listing. Connectors that report deletions
   * themselves ignore it.
   */
  knownRemoteIds?: readonly string[] | 'on request';
}

export interface FetchedMessage {
  ref: RemoteMessageRef;
  /** The whole source; only its header block when `tooLarge`. */
  source: Buffer;
  /** Over the connector's size cap (maxMessageBytes): the body was not downloaded. */
  tooLarge?: boolean;
}

export interface ChangeNotification {
  folderId: string;
  kind: 'exists' | 'expunge' | 'flags' | 'unknown';
}

export interface Watcher {
  close(): Promise<void>;
}

/** A watch reports each change it sees here. */
export type ChangeListener = (n: ChangeNotification) => void;
/** A watch that stops by itself says why here, once; reconnecting is the caller's business. */
export type WatchFailureListener = (e: ConnectorError) => void;

/** The flags `setFlags` sets and clears. */
export interface FlagChange {
  add?: FlagName[];
  remove?: FlagName[];
}

/** What `folderStatus` tells of a folder; a field the server has no notion of is null. */
export interface FolderStatus {
  total: number;
  uidNext: string | null;
  highestModseq: string | null;
  uidValidity: string | null;
}

export interface ConnectorCapabilities {
  idle: boolean;
  qresync: boolean;
  condstore: boolean;
  move: boolean;
  gmail: boolean;
}

export interface MailConnector {
  readonly capabilities: ConnectorCapabilities;
  connect(): Promise<void>;
  close(): Promise<void>;
  listFolders(): Promise<RemoteFolder[]>;
  /**
   * Changes in a folder since `cursor` (null: everything). `since` limits a full listing to messages on or
   * after that date (the backfill window); see ChangesOptions for the rest.
   */
  changesSince(folderId: string, cursor: FolderCursor | null, opts?: ChangesOptions): Promise<FolderChanges>;
  /** Fetches sources in batches; yields in the order given where the server allows. */
  fetchMessages(folderId: string, remoteIds: string[]): AsyncIterable<FetchedMessage>;
  setFlags(folderId: string, remoteIds: string[], change: FlagChange): Promise<void>;
  /** Returns the new remote ids in the target folder where the server tells them (UIDPLUS/COPYUID). */
  move(folderId: string, remoteIds: string[], targetFolderId: string): Promise<Map<string, string> | null>;
  /** Permanently removes from this folder (after a move to Trash, or in Trash itself). */
  expunge(folderId: string, remoteIds: string[]): Promise<void>;
  append(folderId: string, source: Buffer, flags?: FlagName[]): Promise<{ remoteId: string | null }>;
  /**
   * Remote ids of the folder's messages whose Message-ID header is `messageIdHeader` ("<…@…>"), asked of
   * the server now (IMAP SEARCH HEADER, Graph internetMessageId, EWS InternetMessageId): how the outbox
   * learns whether a message whose sending ended unclearly reached Sent.
   */
  findByMessageId(folderId: string, messageIdHeader: string): Promise<string[]>;
  /** Calls back on changes in the folder (IMAP IDLE). Reconnects are the caller's business: onError fires. */
  watch(folderId: string, onChange: ChangeListener, onError: WatchFailureListener): Promise<Watcher>;
  /** Cheap status of a folder not being watched (IMAP STATUS). */
  folderStatus(folderId: string): Promise<FolderStatus>;
}

/** Stable codes one place maps to a sync state and a retry policy. */
export type ConnectorErrorCode =
  | 'auth_failed'
  | 'connect_failed'
  | 'connection_lost'
  | 'timeout'
  | 'tls_failed'
  | 'rate_limited'
  | 'folder_not_found'
  | 'server_error'
  | 'protocol_error';

/** What the sync engine acts on besides the code: how long the server asked us to wait, what it said. */
export interface ConnectorErrorExtra {
  retryAfterMs?: number;
  serverResponse?: string;
}

/** Seen by the sync engine only (mailbox-runner maps codes to sync states); never an API answer. */
export class ConnectorError extends DomainError<ConnectorErrorCode> {
  readonly extra: ConnectorErrorExtra;

  constructor(code: ConnectorErrorCode, message: string, extra: ConnectorErrorExtra = {}, options?: { cause?: unknown }) {
    super(code, message, options);
    this.extra = extra;
  }
}

/** A watch's failure as it is reported: a ConnectorError as it is, anything else as connection_lost. */
export function watchFailure(err: unknown, what: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  return new ConnectorError('connection_lost', `${what}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
}
