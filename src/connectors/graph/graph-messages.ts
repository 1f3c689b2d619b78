import { ConnectorError, type FetchedMessage, type FlagChange, type FlagName, type RemoteMessageRef } from '../types.ts';
import type { GraphClient } from './graph-client.ts';

/** Sources asked ahead of the one being yielded; the client's slots keep it to 4 on the wire. */
const FETCH_AHEAD = 8;
/** Graph's JSON batching takes at most 20 requests. */
const BATCH_LIMIT = 20;
/** Without a configured cap, a source over this is kept as headers only all the same. */
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const messagePath = (userPath: string, id: string) => `/${userPath}/messages/${encodeURIComponent(id)}`;
const isNotFound = (err: unknown) =>
  err instanceof ConnectorError && err.code === 'server_error' && (err.extra.serverResponse ?? '').startsWith('404');

function bareRef(id: string): RemoteMessageRef {
  return { remoteId: id, stableId: id, threadId: null, flags: [], keywords: [], size: null, internalDate: null, modseq: null };
}

/** The header block of a truncated source (up to its blank line, or its last whole line). */
export function headerBlock(source: Buffer): Buffer {
  for (const sep of ['\r\n\r\n', '\n\n']) {
    const end = source.indexOf(sep);
    if (end >= 0) return source.subarray(0, end + sep.length);
  }
  const lastLine = source.lastIndexOf('\n');
  return lastLine >= 0 ? source.subarray(0, lastLine + 1) : Buffer.alloc(0);
}

/**
 * Raw MIME by `/messages/{id}/$value`, yielded in the order asked. A message gone meanwhile (404) is left
 * out: the engine counts it missing and lists the folder again.
 */
export async function* fetchSources(
  client: GraphClient,
  userPath: string,
  ids: string[],
  maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
): AsyncIterable<FetchedMessage> {
  const one = async (id: string): Promise<FetchedMessage | null> => {
    try {
      const { body, truncated } = await client.raw(`${messagePath(userPath, id)}/$value`, 'fetch a message', maxMessageBytes);
      return truncated ? { ref: bareRef(id), source: headerBlock(body), tooLarge: true } : { ref: bareRef(id), source: body };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  };
  const pending: Array<Promise<FetchedMessage | null>> = [];
  const start = (id: string) => {
    const p = one(id);
    // Awaited in order below; a later one failing first must not be an unhandled rejection meanwhile.
    p.catch(() => undefined);
    pending.push(p);
  };
  let next = 0;
  while (next < ids.length && pending.length < FETCH_AHEAD) start(ids[next++]);
  while (pending.length) {
    const fetched = await (pending.shift() as Promise<FetchedMessage | null>);
    if (next < ids.length) start(ids[next++]);
    if (fetched) yield fetched;
  }
}

/** The PATCH body for a flag change; Graph has no answered/deleted flags to set, so those are left out. */
export function patchOf(change: FlagChange): Record<string, unknown> | null {
  const body: Record<string, unknown> = {};
  const set = (flag: FlagName, value: boolean) => {
    if (flag === 'seen') body.isRead = value;
    if (flag === 'flagged') body.flag = { flagStatus: value ? 'flagged' : 'notFlagged' };
  };
  for (const f of change.remove ?? []) set(f, false);
  for (const f of change.add ?? []) set(f, true);
  return Object.keys(body).length ? body : null;
}

/** Flag changes in JSON batches of 20; a message gone meanwhile (404) is skipped. */
export async function patchFlags(client: GraphClient, userPath: string, ids: string[], change: FlagChange): Promise<void> {
  const body = patchOf(change);
  if (!body) return;
  for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
    const chunk = ids.slice(i, i + BATCH_LIMIT);
    const requests = chunk.map((id, n) => ({
      id: String(n),
      method: 'PATCH',
      url: messagePath(userPath, id),
      headers: { 'content-type': 'application/json' },
      body,
    }));
    const { json } = await client.json<{ responses?: unknown }>('POST', '/$batch', { operation: 'set flags', body: { requests } });
    const responses = Array.isArray(json.responses) ? (json.responses as Array<{ status?: unknown }>) : null;
    if (!responses || responses.length !== chunk.length)
      throw new ConnectorError('protocol_error', 'Graph set flags: the batch answer does not match the request.');
    const failed = responses.filter((r) => typeof r.status !== 'number' || (r.status >= 300 && r.status !== 404));
    if (failed.length) {
      const status = Number(failed[0].status);
      throw new ConnectorError(
        status === 429 || status === 503 ? 'rate_limited' : 'server_error',
        `Graph set flags: ${failed.length} of ${chunk.length} changes refused (HTTP ${status}).`,
      );
    }
  }
}

/** Moves each message; Graph answers the moved message, whose (immutable) id is the new remote id. */
export async function moveMessages(
  client: GraphClient,
  userPath: string,
  ids: string[],
  targetFolderId: string,
): Promise<Map<string, string>> {
  const moved = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      const { json } = await client.json<{ id?: unknown }>('POST', `${messagePath(userPath, id)}/move`, {
        operation: 'move a message',
        body: { destinationId: targetFolderId },
      });
      if (typeof json.id === 'string') moved.set(id, json.id);
    }),
  );
  return moved;
}

/** DELETE each message; one already gone counts as done. */
export async function deleteMessages(client: GraphClient, userPath: string, ids: string[]): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      try {
        await client.json('DELETE', messagePath(userPath, id), { operation: 'delete a message' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }),
  );
}

/** Graph takes a MIME source of at most 4 MB in one request. */
const MAX_MIME_BYTES = 4 * 1024 * 1024;

/**
 * Stores a source in a folder by Graph's "create message in MIME format"; Graph makes it a draft, which is
 * what Outlook shows for a message that was not sent by Exchange itself. Flags follow with a PATCH.
 */
export async function createFromMime(
  client: GraphClient,
  userPath: string,
  folderId: string,
  source: Buffer,
  flags: FlagName[],
): Promise<string> {
  const text = source.toString('base64');
  if (text.length > MAX_MIME_BYTES) throw new ConnectorError('server_error', 'Graph takes a message of at most 4 MB in one request.');
  const { json } = await client.json<{ id?: unknown }>('POST', `/${userPath}/mailFolders/${encodeURIComponent(folderId)}/messages`, {
    operation: 'store a message',
    text,
    notFound: 'folder_not_found',
  });
  if (typeof json.id !== 'string') throw new ConnectorError('protocol_error', 'Graph store a message: the answer has no id.');
  const patch = patchOf({ add: flags });
  if (patch) await client.json('PATCH', messagePath(userPath, json.id), { operation: 'set flags', body: patch });
  return json.id;
}

/** More than this many copies of one Message-ID in a folder is no answer to "was it sent?" worth paging for. */
const FIND_PAGES = 5;

/** An OData string literal: quotes doubled (OData ABNF SQUOTE-in-string). */
export const odataString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Immutable ids of the folder's messages whose internetMessageId is `messageIdHeader`, asked now by a
 * $filter on the folder's messages (Graph compares the whole value, angle brackets included).
 */
export async function findByInternetMessageId(
  client: GraphClient,
  userPath: string,
  folderId: string,
  messageIdHeader: string,
): Promise<string[]> {
  const filter = encodeURIComponent(`internetMessageId eq ${odataString(messageIdHeader)}`);
  let link: string | undefined = `/${userPath}/mailFolders/${encodeURIComponent(folderId)}/messages?$filter=${filter}&$select=id&$top=50`;
  const ids: string[] = [];
  for (let page = 0; link && page < FIND_PAGES; page++) {
    const { json }: { json: { value?: unknown; '@odata.nextLink'?: unknown } } = await client.json('GET', link, {
      operation: 'find a message by its Message-ID',
      notFound: 'folder_not_found',
    });
    if (!Array.isArray(json.value)) throw new ConnectorError('protocol_error', 'Graph listed messages without a value array.');
    for (const m of json.value as Array<{ id?: unknown }>) if (typeof m?.id === 'string') ids.push(m.id);
    link = typeof json['@odata.nextLink'] === 'string' ? json['@odata.nextLink'] : undefined;
  }
  return ids;
}
