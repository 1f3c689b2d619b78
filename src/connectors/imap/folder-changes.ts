import type { ExpungeEvent, FetchMessageObject, ImapFlow, MailboxObject } from 'imapflow';
import { ConnectorError, type ChangesOptions, type FolderChanges, type FolderCursor, type RemoteMessageRef } from '../types.ts';
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

/** The engine's options; the IMAP connector takes them as they are. */
export type ImapChangesOptions = ChangesOptions;

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
 * Lists every message below `uidNext` (the SELECT's), or those SEARCH SINCE finds when `since` is set.
 * `holdsNothing`: UIDs only (one UID SEARCH), for a folder the engine holds nothing of; each fetched
 * message brings its flags, size and date. Gmail keeps the full listing: its ids link labels to stored mail.
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
  return newestFirst(await listSince(client, since, uidNext, modes));
}

/**
 * The messages received before `since`, with their Message-IDs (ENVELOPE): the engine keeps those it
 * holds. Only for a folder the engine holds mail of; never their sources.
 */
async function listBefore(client: ImapFlow, since: Date, uidNext: number, modes: ChangeModes): Promise<RemoteMessageRef[]> {
  if (uidNext <= 1) return [];
  const uids = await searchUids(client, { before: since }, uidNext);
  const refs: RemoteMessageRef[] = [];
  for (const part of chunk(
    uids.sort((a, b) => a - b),
    SEARCH_FETCH_CHUNK,
  )) {
    for await (const row of client.fetch(toSequenceSet(part), { ...refQuery(modes.gmail), envelope: true }, { uid: true }))
      refs.push(refOf(row, client.mailbox));
  }
  return newestFirst(refs);
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
  if (opts.widenTo === undefined || !cursor || changes.needsKnownRemoteIds) return changes;
  return addWidened(client, changes, opts.widenTo, Number(cursor.uidNext), modes);
}

/** The answer that asks for the engine's remote ids: nothing listed, the cursor as it was. */
function askForKnownRemoteIds(cursor: ImapCursor, total: number): FolderChanges {
  return { kind: 'incremental', added: [], changed: [], removed: [], nextCursor: { ...cursor }, total, needsKnownRemoteIds: true };
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
    ...(opts.since && !opts.holdsNothing ? { beforeWindow: await listBefore(client, opts.since, uidNext, modes) } : {}),
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
  const knownIds = opts.knownRemoteIds;
  const offered = knownIds === 'on request';
  // Fewer messages than at the cursor: one went for sure, so ask before listing anything (a second
  // listing would double the work); a count that only the listing can explain asks after it.
  if (!qresync && offered && (cursor.total < 0 || cursor.total > mailbox.exists)) return askForKnownRemoteIds(cursor, mailbox.exists);
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
  if (knownIds === 'on request') return askForKnownRemoteIds(cursor, mailbox.exists);
  if (!knownIds) {
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
  result.removed = knownIds.filter((id) => Number(id) < oldUidNext && !serverUids.has(Number(id)));
  return result;
}
