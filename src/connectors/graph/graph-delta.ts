import { ConnectorError, type FlagName, type FolderChanges, type FolderCursor, type RemoteMessageRef } from '../types.ts';
import type { GraphClient } from './graph-client.ts';

/** The message fields a delta round asks for: enough for a ref, never the body. */
export const DELTA_SELECT = 'id,receivedDateTime,isRead,isDraft,flag,internetMessageId,conversationId';
const PAGE_SIZE = 200;
/** Bounds an endless nextLink chain: 2,000 pages of 200 is 400,000 messages in one folder. */
const MAX_PAGES = 2_000;
/** Graph may send an empty page now and then; a long run of them is a loop. */
const MAX_EMPTY_PAGES = 50;

export interface DeltaPage {
  refs: RemoteMessageRef[];
  removed: string[];
  nextLink: string | null;
  deltaLink: string | null;
}

interface GraphMessageJson {
  id?: unknown;
  '@removed'?: unknown;
  receivedDateTime?: unknown;
  isRead?: unknown;
  isDraft?: unknown;
  flag?: { flagStatus?: unknown } | null;
  internetMessageId?: unknown;
  conversationId?: unknown;
}

/** A message of a delta page as a ref: the immutable id is both the remote and the stable id. */
export function refOfMessage(m: GraphMessageJson & { id: string }): RemoteMessageRef {
  const flags: FlagName[] = [];
  if (m.isRead === true) flags.push('seen');
  if (m.flag?.flagStatus === 'flagged') flags.push('flagged');
  if (m.isDraft === true) flags.push('draft');
  const received = typeof m.receivedDateTime === 'string' ? new Date(m.receivedDateTime) : null;
  return {
    remoteId: m.id,
    stableId: m.id,
    messageId: typeof m.internetMessageId === 'string' ? m.internetMessageId : null,
    threadId: typeof m.conversationId === 'string' ? m.conversationId : null,
    flags,
    keywords: [],
    size: null,
    internalDate: received && !Number.isNaN(received.getTime()) ? received : null,
    modseq: null,
  };
}

/** One page of a message delta: changed or new messages, removed ids, and the link to follow. */
export function parseDeltaPage(json: unknown): DeltaPage {
  const page = json as { value?: unknown; '@odata.nextLink'?: unknown; '@odata.deltaLink'?: unknown } | null;
  if (!page || !Array.isArray(page.value)) throw new ConnectorError('protocol_error', 'Graph delta: the page has no value list.');
  const nextLink = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : null;
  const deltaLink = typeof page['@odata.deltaLink'] === 'string' ? page['@odata.deltaLink'] : null;
  if (!nextLink && !deltaLink) throw new ConnectorError('protocol_error', 'Graph delta: the page has neither a nextLink nor a deltaLink.');
  const refs: RemoteMessageRef[] = [];
  const removed: string[] = [];
  for (const item of page.value as GraphMessageJson[]) {
    if (!item || typeof item.id !== 'string' || !item.id) continue;
    if (item['@removed'] !== undefined) removed.push(item.id);
    else refs.push(refOfMessage(item as GraphMessageJson & { id: string }));
  }
  return { refs, removed, nextLink, deltaLink };
}

export interface DeltaOptions {
  since?: Date | null;
  widenTo?: Date | null;
}

function firstUrl(userPath: string, folderId: string, window: Date | null): string {
  const filter = window ? `&$filter=${encodeURIComponent(`receivedDateTime ge ${window.toISOString()}`)}` : '';
  return `/${userPath}/mailFolders/${encodeURIComponent(folderId)}/messages/delta?$select=${DELTA_SELECT}${filter}`;
}

/**
 * Changes in a folder by Graph's message delta. The cursor is the deltaLink of the last round; without one
 * (or when Graph answers 410 for an expired sync state, or the window was widened) the whole folder is
 * listed again as a 'full' round: ids are immutable, so the engine keeps what it holds without duplicates.
 */
export async function folderDelta(
  client: GraphClient,
  userPath: string,
  folderId: string,
  cursor: FolderCursor | null,
  opts: DeltaOptions,
): Promise<FolderChanges> {
  // A cursor from before the mailbox's Graph address changed is no use: list the folder again.
  const link = typeof cursor?.deltaLink === 'string' && client.isOwnLink(cursor.deltaLink) ? cursor.deltaLink : null;
  if (link && opts.widenTo === undefined) {
    const round = await walk(client, link, folderId);
    if (round) {
      const total = round.added.length || round.removed.length ? await folderTotal(client, userPath, folderId) : Number(cursor?.total ?? 0);
      return {
        kind: 'incremental',
        added: round.added,
        changed: [],
        removed: round.removed,
        nextCursor: { deltaLink: round.deltaLink, total },
        total,
      };
    }
  }
  const window = opts.widenTo !== undefined ? opts.widenTo : (opts.since ?? null);
  const round = await walk(client, firstUrl(userPath, folderId, window), folderId);
  if (!round) throw new ConnectorError('server_error', 'Graph delta: a new sync state expired at once (410).');
  const added = round.added.sort((a, b) => (b.internalDate?.getTime() ?? 0) - (a.internalDate?.getTime() ?? 0));
  return {
    kind: 'full',
    added,
    changed: [],
    removed: [],
    nextCursor: { deltaLink: round.deltaLink, total: added.length },
    total: added.length,
  };
}

/** Follows one delta round to its deltaLink; null when the sync state expired (410). */
async function walk(client: GraphClient, first: string, folderId: string) {
  const added = new Map<string, RemoteMessageRef>();
  const removed = new Set<string>();
  let next: string | null = first;
  let empty = 0;
  for (let pages = 0; next; pages++) {
    if (pages >= MAX_PAGES || empty >= MAX_EMPTY_PAGES) {
      throw new ConnectorError('protocol_error', `Graph delta: the folder's pages do not end (${pages} pages followed).`);
    }
    const { status, json } = await client.json('GET', next, {
      operation: 'delta of a folder',
      allow: [410],
      notFound: 'folder_not_found',
      maxPageSize: PAGE_SIZE,
    });
    if (status === 410) return null;
    const page = parseDeltaPage(json);
    empty = page.refs.length || page.removed.length ? 0 : empty + 1;
    for (const ref of page.refs) {
      added.set(ref.remoteId, ref);
      removed.delete(ref.remoteId);
    }
    for (const id of page.removed) {
      added.delete(id);
      removed.add(id);
    }
    if (page.deltaLink) return { added: [...added.values()], removed: [...removed], deltaLink: client.url(page.deltaLink), folderId };
    next = page.nextLink;
  }
  throw new ConnectorError('protocol_error', 'Graph delta: the round ended without a deltaLink.');
}

export async function folderTotal(client: GraphClient, userPath: string, folderId: string): Promise<number> {
  const { json } = await client.json<{ totalItemCount?: unknown }>(
    'GET',
    `/${userPath}/mailFolders/${encodeURIComponent(folderId)}?$select=totalItemCount,unreadItemCount`,
    {
      operation: 'folder status',
      notFound: 'folder_not_found',
    },
  );
  return typeof json.totalItemCount === 'number' ? json.totalItemCount : 0;
}
