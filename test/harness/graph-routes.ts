// The Graph mail API the harness server answers (graph-server.ts), as Microsoft's v1.0 reference
// documents it: mailFolders, childFolders, per-folder message delta, message get/$value/update/move/delete.
// Pure request → answer; authentication, throttling and transport live in graph-server.ts.
import { randomBytes } from 'node:crypto';
import { graphError, type GraphAnswer } from './graph-answers.ts';
import type { DeltaItem, GraphFolder, GraphMailbox, GraphMessage } from './graph-store.ts';

export interface RouteRequest {
  method: string;
  /** After /v1.0 and the user segment: e.g. `mailFolders/inbox/messages/delta`. */
  rest: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  mailbox: GraphMailbox;
  /** `${baseUrl}/me` or `${baseUrl}/users/{id}`: where nextLinks and deltaLinks point. */
  userBase: string;
}

interface DeltaSession {
  folder: GraphFolder;
  items: DeltaItem[];
  offset: number;
  end: number;
  select: string[] | null;
}

const FOLDER_PAGE = 10;
const DELTA_PAGE = 10;

export class GraphRoutes {
  private readonly sessions = new Map<string, DeltaSession>();
  /** 'endless-nextlink': every delta page links to another, empty one. */
  endlessDelta = false;
  expiredCode = 'syncStateNotFound';

  handle(req: RouteRequest): GraphAnswer {
    const { method, rest, mailbox } = req;
    const immutable = /IdType="ImmutableId"/i.test(req.headers.prefer ?? '');
    if (method === 'GET' && rest === 'mailFolders') return this.folderPage(req, mailbox.childrenOf(mailbox.rootId), 'mailFolders');
    const folderPath = method === 'GET' ? /^mailFolders\/([^/]+)(\/childFolders)?$/.exec(rest) : null;
    if (folderPath) {
      const folder = mailbox.folder(folderPath[1]);
      if (!folder) return notFound('ErrorItemNotFound', 'The specified object was not found in the store.');
      if (folderPath[2]) return this.folderPage(req, mailbox.childrenOf(folder.id), `mailFolders/${folder.id}/childFolders`);
      return { status: 200, json: folderJson(mailbox, folder) };
    }
    const deltaPath = method === 'GET' ? /^mailFolders\/([^/]+)\/messages\/delta$/.exec(rest) : null;
    if (deltaPath) {
      const folder = mailbox.folder(deltaPath[1]);
      if (!folder) return notFound('ErrorItemNotFound', 'The specified object was not found in the store.');
      return this.delta(req, folder, immutable);
    }
    const listIn = method === 'GET' ? /^mailFolders\/([^/]+)\/messages$/.exec(rest) : null;
    if (listIn) {
      const folder = mailbox.folder(listIn[1]);
      if (!folder) return notFound('ErrorItemNotFound', 'The specified object was not found in the store.');
      return this.messagePage(req, folder, immutable);
    }
    // Create message in MIME format: the body is the base64 source, sent as text/plain.
    const createIn = method === 'POST' ? /^mailFolders\/([^/]+)\/messages$/.exec(rest) : null;
    if (createIn) {
      const folder = mailbox.folder(createIn[1]);
      if (!folder) return notFound('ErrorItemNotFound', 'The specified object was not found in the store.');
      if (typeof req.body !== 'string') return graphError(400, 'ErrorMimeContentInvalid', 'The MIME content is missing or invalid.');
      const raw = Buffer.from(req.body, 'base64');
      if (!raw.length) return graphError(400, 'ErrorMimeContentInvalid', 'The MIME content is missing or invalid.');
      return { status: 201, json: messageJson(mailbox.deliver(folder.id, raw, { isDraft: true }), immutable, null) };
    }
    // Messages are addressed directly or through their folder; both name the same item.
    const msgPath = /^(?:mailFolders\/[^/]+\/)?messages\/([^/]+)(\/\$value|\/move)?$/.exec(rest);
    if (!msgPath) return notFound('ErrorInvalidUrl', `Resource not found for the segment '${rest.split('/')[0]}'.`);
    const message = mailbox.message(decodeURIComponent(msgPath[1]));
    if (!message) return notFound('ErrorItemNotFound', 'The specified object was not found in the store.');
    const action = msgPath[2];
    if (action === '/$value' && method === 'GET') return { status: 200, raw: message.raw, contentType: 'text/plain' };
    if (action === '/move' && method === 'POST') {
      const destinationId = (req.body as { destinationId?: unknown } | null)?.destinationId;
      if (typeof destinationId !== 'string' || !mailbox.folder(destinationId)) {
        return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      }
      return { status: 201, json: messageJson(mailbox.move(message, destinationId), immutable, null) };
    }
    if (action) return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
    if (method === 'GET') return { status: 200, json: messageJson(message, immutable, selectOf(req.query)) };
    if (method === 'DELETE') {
      mailbox.remove(message);
      return { status: 204 };
    }
    if (method === 'PATCH') {
      const body = (req.body ?? {}) as { isRead?: unknown; flag?: { flagStatus?: unknown } };
      const flagStatus = body.flag?.flagStatus;
      if (
        (body.isRead !== undefined && typeof body.isRead !== 'boolean') ||
        (flagStatus !== undefined && !['notFlagged', 'flagged', 'complete'].includes(String(flagStatus)))
      ) {
        return graphError(400, 'ErrorInvalidProperty', 'Invalid value for a message property.');
      }
      mailbox.update(message, {
        isRead: body.isRead as boolean | undefined,
        flagStatus: flagStatus as GraphMessage['flagStatus'] | undefined,
      });
      return { status: 200, json: messageJson(message, immutable, null) };
    }
    return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  }

  private folderPage(req: RouteRequest, folders: GraphFolder[], path: string): GraphAnswer {
    const top = Math.min(Number(req.query.get('$top') ?? FOLDER_PAGE) || FOLDER_PAGE, 1000);
    const skip = Number(req.query.get('$skip') ?? 0) || 0;
    const page = folders.slice(skip, skip + top);
    const next = skip + top < folders.length ? `${req.userBase}/${path}?$top=${top}&$skip=${skip + top}` : undefined;
    return {
      status: 200,
      json: {
        '@odata.context': `${req.userBase}/$metadata#mailFolders`,
        value: page.map((f) => folderJson(req.mailbox, f)),
        ...(next ? { '@odata.nextLink': next } : {}),
      },
    };
  }

  /**
   * List messages of a folder: `$filter` only as `internetMessageId eq '<…>'` (an OData string, quotes
   * doubled), `$select`, `$top`/`$skip` with a nextLink. Other filters get 400, as unsupported ones do.
   */
  private messagePage(req: RouteRequest, folder: GraphFolder, immutable: boolean): GraphAnswer {
    let messages = req.mailbox.inFolder(folder.id);
    const filter = req.query.get('$filter');
    if (filter !== null) {
      const wanted = internetMessageIdFilter(filter);
      if (wanted === null) return graphError(400, 'BadRequest', `Invalid filter clause: ${filter}`);
      messages = messages.filter((m) => m.internetMessageId === wanted);
    }
    const top = Math.min(Number(req.query.get('$top') ?? FOLDER_PAGE) || FOLDER_PAGE, 1000);
    const skip = Number(req.query.get('$skip') ?? 0) || 0;
    const page = messages.slice(skip, skip + top);
    const next = new URLSearchParams(req.query);
    next.set('$skip', String(skip + top));
    return {
      status: 200,
      json: {
        '@odata.context': `${req.userBase}/$metadata#Collection(message)`,
        value: page.map((m) => messageJson(m, immutable, selectOf(req.query))),
        ...(skip + top < messages.length ? { '@odata.nextLink': `${req.userBase}/${req.rest}?${next}` } : {}),
      },
    };
  }

  private delta(req: RouteRequest, folder: GraphFolder, immutable: boolean): GraphAnswer {
    const { query, mailbox } = req;
    const pageSize = pageSizeOf(req.headers.prefer);
    const skipToken = query.get('$skiptoken');
    const deltaToken = query.get('$deltatoken');
    let session: DeltaSession | undefined;
    if (skipToken) {
      session = this.sessions.get(skipToken);
      this.sessions.delete(skipToken);
      if (!session || session.folder.id !== folder.id) return graphError(400, 'ErrorInvalidSyncStateData', 'Invalid skip token.');
    } else {
      let since: number | null = null;
      if (deltaToken) {
        const parsed = parseDeltaToken(deltaToken);
        if (!parsed || parsed.folder !== folder.id) return graphError(400, 'ErrorInvalidSyncStateData', 'Invalid delta token.');
        if (parsed.epoch !== folder.epoch) return graphError(410, this.expiredCode, 'The sync state generation is invalid or expired.');
        since = parsed.seq;
      }
      let items = mailbox.delta(folder.id, since);
      const from = receivedFilterOf(query.get('$filter'));
      if (from) items = items.filter((i) => !i.message || Date.parse(i.message.receivedDateTime) >= from.getTime());
      session = { folder, items, offset: 0, end: mailbox.position(), select: selectOf(query) };
    }
    const page = session.items.slice(session.offset, session.offset + pageSize);
    session.offset += page.length;
    const value = page.map((i) =>
      i.message
        ? messageJson(i.message, immutable, session.select)
        : {
            '@odata.type': '#microsoft.graph.message',
            id: immutable ? i.removed!.immutableId : i.removed!.restId,
            '@removed': { reason: i.removed!.reason },
          },
    );
    const link = `${req.userBase}/mailFolders/${folder.id}/messages/delta`;
    const headers = { 'preference-applied': `odata.maxpagesize=${pageSize}${immutable ? ', IdType="ImmutableId"' : ''}` };
    const context = { '@odata.context': `${req.userBase}/$metadata#Collection(message)` };
    if (session.offset < session.items.length || this.endlessDelta) {
      const token = randomBytes(24).toString('base64url');
      this.sessions.set(token, session);
      return { status: 200, headers, json: { ...context, '@odata.nextLink': `${link}?$skiptoken=${token}`, value } };
    }
    const token = Buffer.from(JSON.stringify({ f: folder.id, s: session.end, e: folder.epoch })).toString('base64url');
    return { status: 200, headers, json: { ...context, '@odata.deltaLink': `${link}?$deltatoken=${token}`, value } };
  }
}

function notFound(code: string, message: string): GraphAnswer {
  return graphError(404, code, message);
}

function pageSizeOf(prefer: string | undefined): number {
  const n = Number(/odata\.maxpagesize=(\d+)/i.exec(prefer ?? '')?.[1]);
  return n > 0 ? Math.min(n, 1000) : DELTA_PAGE;
}

function selectOf(query: URLSearchParams): string[] | null {
  const s = query.get('$select');
  return s ? s.split(',').map((x) => x.trim()) : null;
}

/** Only what message delta supports: `receivedDateTime ge <ISO date>`. */
function receivedFilterOf(filter: string | null): Date | null {
  const m = /^receivedDateTime\s+ge\s+(\S+)$/i.exec(filter?.trim() ?? '');
  return m && !Number.isNaN(Date.parse(m[1])) ? new Date(m[1]) : null;
}

/** The value of `internetMessageId eq '…'` ('' inside the literal is one quote), or null for any other filter. */
export function internetMessageIdFilter(filter: string): string | null {
  const m = /^\s*internetMessageId\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  return m ? m[1].replaceAll("''", "'") : null;
}

function parseDeltaToken(token: string): { folder: string; seq: number; epoch: number } | null {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { f?: unknown; s?: unknown; e?: unknown };
    return typeof t.f === 'string' && typeof t.s === 'number' && typeof t.e === 'number' ? { folder: t.f, seq: t.s, epoch: t.e } : null;
  } catch {
    return null;
  }
}

function folderJson(mailbox: GraphMailbox, f: GraphFolder): Record<string, unknown> {
  const messages = mailbox.inFolder(f.id);
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentFolderId,
    childFolderCount: mailbox.childrenOf(f.id).length,
    unreadItemCount: messages.filter((m) => !m.isRead).length,
    totalItemCount: messages.length,
    isHidden: false,
    ...(f.wellKnownName ? { wellKnownName: f.wellKnownName } : {}),
  };
}

export function messageJson(m: GraphMessage, immutable: boolean, select: string[] | null): Record<string, unknown> {
  const full: Record<string, unknown> = {
    '@odata.type': '#microsoft.graph.message',
    '@odata.etag': `W/"${m.changeKey}"`,
    id: immutable ? m.immutableId : m.restId,
    createdDateTime: m.receivedDateTime,
    lastModifiedDateTime: m.receivedDateTime,
    changeKey: m.changeKey,
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.receivedDateTime,
    hasAttachments: false,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    parentFolderId: m.folderId,
    isRead: m.isRead,
    isDraft: m.isDraft,
    flag: { flagStatus: m.flagStatus },
  };
  if (!select) return full;
  const keep = new Set(['@odata.type', '@odata.etag', 'id', ...select]);
  return Object.fromEntries(Object.entries(full).filter(([k]) => keep.has(k)));
}
