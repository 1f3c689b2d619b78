import type { ExpungeEvent, FetchMessageObject, ImapFlow, MailboxObject } from 'imapflow';
import { ConnectorError, type FolderChanges, type FolderCursor, type RemoteMessageRef } from '../types.ts';
import { first, messageIds, readRawHeaders } from '../../ingest/headers.ts';
import { newestFirst, refOf, refQuery } from './message-refs.ts';
import { chunk, toSequenceSet } from './sequence-set.ts';

/**
 * The IMAP folder cursor. Strings because UIDVALIDITY and MODSEQ are 32/63-bit and JSON numbers are not
 * exact past 2^53; `total` lets the no-QRESYNC paths tell "nothing was deleted" without listing UIDs.
 */
export interface ImapCursor {
  uidValidity: string;
  uidNext: string;
  highestModseq: string | null;
  total: number;
}

/** Options of changesSince; `knownRemoteIds` is an IMAP-side addition to the engine's interface. */
export interface ImapChangesOptions {
  /** Backfill window for a full listing (IMAP SEARCH SINCE, by internal date, day granularity). */
  since?: Date | null;
  /** A widened window (null: everything): an incremental round lists the older messages in it too. */
  widenTo?: Date | null;
  /**
   * The UIDs the engine holds for this folder. Only asked for on servers without QRESYNC, and only when
   * the message count says something was deleted; without it such a round comes back as kind 'full'.
   */
  knownRemoteIds?: () => Promise<string[]>;
  /** The engine holds nothing of this folder: a full listing gives bare refs (UID SEARCH, no FETCH). */
  holdsNothing?: boolean;
  /** Message-IDs the engine holds here that may predate `since`: a full listing lists those still here. */
  heldBeforeWindow?: () => Promise<string[]>;
}

export interface ChangeModes {
  gmail: boolean;
}

const SEARCH_FETCH_CHUNK = 5_000;

/** refOf for rows of the folder `client` has selected (Gmail leaves that folder's own label out). */
const refIn =
  (client: ImapFlow) =>
  (msg: FetchMessageObject): RemoteMessageRef =>
    refOf(msg, client.mailbox);

export function parseCursor(cursor: FolderCursor | null): ImapCursor | null {
  if (!cursor) return null;
  const { uidValidity, uidNext, highestModseq, total } = cursor as Partial<Record<keyof ImapCursor, unknown>>;
  if (typeof uidValidity !== 'string' || typeof uidNext !== 'string' || !/^\d+$/.test(uidNext)) return null;
  if (highestModseq !== null && highestModseq !== undefined && (typeof highestModseq !== 'string' || !/^\d+$/.test(highestModseq)))
    return null;
  return {
    uidValidity,
    uidNext,
    highestModseq: (highestModseq as string | undefined) ?? null,
    total: typeof total === 'number' ? total : -1,
  };
}

function cursorOf(mailbox: MailboxObject, modseq: boolean): ImapCursor {
  return {
    uidValidity: mailbox.uidValidity.toString(),
    uidNext: String(mailbox.uidNext),
    highestModseq: modseq && mailbox.highestModseq !== undefined ? mailbox.highestModseq.toString() : null,
    total: mailbox.exists,
  };
}

async function collect(client: ImapFlow, range: string, modes: ChangeModes, changedSince?: bigint): Promise<FetchMessageObject[]> {
  const rows: FetchMessageObject[] = [];
  if (!range) return rows;
  for await (const msg of client.fetch(range, refQuery(modes.gmail), { uid: true, changedSince })) rows.push(msg);
  return rows;
}

/**
 * Lists every message below `uidNext` (the SELECT's), or those SEARCH SINCE finds when `since` is set,
 * plus the older ones the engine holds (`heldBeforeWindow`). `holdsNothing`: UIDs only (one UID
 * SEARCH), for a folder the engine holds nothing of; each fetched message brings its flags, size and
 * date. Gmail keeps the full listing: its ids link labels to stored mail.
 */
async function fullListing(
  client: ImapFlow,
  uidNext: number,
  since: Date | null | undefined,
  modes: ChangeModes,
  opts: ImapChangesOptions,
): Promise<RemoteMessageRef[]> {
  if (uidNext <= 1) return [];
  if (opts.holdsNothing && !modes.gmail)
    return newestFirst((await searchUids(client, since ? { since } : { all: true }, uidNext)).map(bareRef));
  if (!since) return newestFirst((await collect(client, `1:${uidNext - 1}`, modes)).map(refIn(client)));
  const refs = await listSince(client, since, uidNext, modes);
  const held = opts.heldBeforeWindow ? await opts.heldBeforeWindow() : [];
  if (held.length) refs.push(...(await listHeldBefore(client, since, uidNext, modes, held)));
  return newestFirst(refs);
}

/**
 * The messages received before `since` whose Message-ID is among `held`: mail the engine stored from an
 * incremental round although its receive date is older than the window (moved in from another folder).
 * Only Message-ID headers are fetched for the folder's older messages, never their sources.
 */
async function listHeldBefore(
  client: ImapFlow,
  since: Date,
  uidNext: number,
  modes: ChangeModes,
  held: string[],
): Promise<RemoteMessageRef[]> {
  const wanted = new Set(held.map((id) => id.toLowerCase()));
  const uids = await searchUids(client, { before: since }, uidNext);
  const refs: RemoteMessageRef[] = [];
  for (const part of chunk(
    uids.sort((a, b) => a - b),
    SEARCH_FETCH_CHUNK,
  )) {
    for await (const row of client.fetch(toSequenceSet(part), { ...refQuery(modes.gmail), headers: ['message-id'] }, { uid: true })) {
      const id = row.headers ? messageIds(first(readRawHeaders(row.headers), 'message-id'))[0] : undefined;
      if (id && wanted.has(id.toLowerCase())) refs.push(refOf(row, client.mailbox));
    }
  }
  return refs;
}

/** UID SEARCH, keeping the UIDs below `uidNext` (later ones are the next round's). */
async function searchUids(client: ImapFlow, query: { since: Date } | { before: Date } | { all: true }, uidNext: number): Promise<number[]> {
  const found = await client.search(query, { uid: true });
  return (Array.isArray(found) ? found : []).filter((uid) => uid < uidNext);
}

function bareRef(uid: number): RemoteMessageRef {
  return { remoteId: String(uid), stableId: null, threadId: null, flags: [], keywords: [], size: null, internalDate: null, modseq: null };
}

/** The messages below `uidNext` received since `since` (SEARCH SINCE), in chunks of UIDs. */
async function listSince(client: ImapFlow, since: Date, uidNext: number, modes: ChangeModes): Promise<RemoteMessageRef[]> {
  const uids = await searchUids(client, { since }, uidNext);
  const refs: RemoteMessageRef[] = [];
  for (const part of chunk(
    uids.sort((a, b) => a - b),
    SEARCH_FETCH_CHUNK,
  )) {
    for (const row of await collect(client, toSequenceSet(part), modes)) refs.push(refOf(row, client.mailbox));
  }
  return refs;
}

/**
 * A widened window: the folder's messages below the cursor in it join `added` (newest first), so the
 * engine fetches the older ones it never held. It skips those it holds, as with any added message.
 */
async function addWidened(
  client: ImapFlow,
  changes: FolderChanges,
  widenTo: Date | null,
  oldUidNext: number,
  modes: ChangeModes,
): Promise<FolderChanges> {
  if (changes.kind !== 'incremental' || oldUidNext <= 1) return changes;
  const older = widenTo
    ? await listSince(client, widenTo, oldUidNext, modes)
    : (await collect(client, `1:${oldUidNext - 1}`, modes)).map(refIn(client));
  const listed = new Set(changes.added.map((r) => r.remoteId));
  for (const ref of older) if (!listed.has(ref.remoteId)) changes.added.push(ref);
  newestFirst(changes.added);
  return changes;
}

/**
 * Computes a folder's changes on `client`, which the caller holds exclusively. Always SELECTs afresh, so
 * the returned cursor is the server's state at that SELECT; anything that arrives after it is left for
 * the next round (the listing stops below that UIDNEXT), never lost.
 */
export async function folderChanges(
  client: ImapFlow,
  path: string,
  cursorIn: FolderCursor | null,
  opts: ImapChangesOptions,
  modes: ChangeModes,
): Promise<FolderChanges> {
  const cursor = parseCursor(cursorIn);
  const changes = await changesOf(client, path, cursor, opts, modes);
  return opts.widenTo !== undefined && cursor ? addWidened(client, changes, opts.widenTo, Number(cursor.uidNext), modes) : changes;
}

async function changesOf(
  client: ImapFlow,
  path: string,
  cursor: ImapCursor | null,
  opts: ImapChangesOptions,
  modes: ChangeModes,
): Promise<FolderChanges> {
  const mailbox = await client.mailboxOpen(path);
  if (!Number.isInteger(mailbox.uidNext) || mailbox.uidNext < 1) {
    throw new ConnectorError('protocol_error', `IMAP SELECT of a folder returned no UIDNEXT`);
  }
  const modseq = client.enabled.has('CONDSTORE') && !mailbox.noModseq && mailbox.highestModseq !== undefined;
  const next = cursorOf(mailbox, modseq);
  const uidNext = mailbox.uidNext;
  const full = async (): Promise<FolderChanges> => ({
    kind: 'full',
    added: await fullListing(client, uidNext, opts.since, modes, opts),
    changed: [],
    removed: [],
    nextCursor: { ...next },
    total: mailbox.exists,
  });
  if (!cursor || cursor.uidValidity !== next.uidValidity) return full();

  const oldUidNext = Number(cursor.uidNext);
  const result: FolderChanges = {
    kind: 'incremental',
    added: [],
    changed: [],
    removed: [],
    nextCursor: { ...next },
    total: mailbox.exists,
  };
  const useModseq = modseq && cursor.highestModseq !== null;
  if (useModseq && cursor.highestModseq === next.highestModseq && cursor.uidNext === next.uidNext && cursor.total === next.total) {
    return result; // every change, expunges included, moves HIGHESTMODSEQ
  }
  const range = uidNext > 1 ? `1:${uidNext - 1}` : '';
  const qresync = useModseq && client.enabled.has('QRESYNC');
  const vanished = new Set<number>();
  const onExpunge = (e: ExpungeEvent): void => {
    if (e.path === path && e.vanished && e.uid) vanished.add(e.uid);
  };
  client.on('expunge', onExpunge);
  let rows: FetchMessageObject[];
  try {
    // With QRESYNC enabled imapflow adds VANISHED to UID FETCH CHANGEDSINCE: removals arrive as
    // "VANISHED (EARLIER)" during the same command.
    rows = await collect(client, range, modes, useModseq ? BigInt(cursor.highestModseq!) : undefined);
  } finally {
    client.off('expunge', onExpunge);
  }
  const seen = new Set<number>();
  for (const row of rows) {
    seen.add(row.uid);
    (row.uid >= oldUidNext ? result.added : result.changed).push(refOf(row, client.mailbox));
  }
  newestFirst(result.added);
  if (qresync) {
    result.removed = [...vanished]
      .filter((uid) => uid < oldUidNext)
      .sort((a, b) => a - b)
      .map(String);
    return result;
  }
  // Without QRESYNC: the count tells whether anything that existed at the cursor is gone.
  const removedCount = cursor.total + result.added.length - mailbox.exists;
  if (cursor.total >= 0 && removedCount === 0) return result;
  if (!opts.knownRemoteIds) {
    // Cannot tell which ones went: hand the engine a full listing (reusing the one in hand if it is one).
    if (useModseq || opts.since) return full();
    return { ...result, kind: 'full', added: newestFirst(rows.map(refIn(client))), changed: [] };
  }
  let serverUids: Set<number>;
  if (useModseq) {
    const found = await client.search({ all: true }, { uid: true });
    serverUids = new Set(Array.isArray(found) ? found : []);
  } else {
    serverUids = seen; // the no-modseq FETCH listed every message already
  }
  const known = await opts.knownRemoteIds();
  result.removed = known.filter((id) => Number(id) < oldUidNext && !serverUids.has(Number(id)));
  return result;
}
