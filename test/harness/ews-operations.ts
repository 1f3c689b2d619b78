import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EwsUserState } from './ews-server.ts';
import { type EwsFolder, type EwsMailboxStore, InvalidSyncState, type StoreEvent } from './ews-store.ts';
import {
  all,
  attrOf,
  changeXml,
  envelope,
  esc,
  failure,
  folderXml,
  itemIdXml,
  messageXml,
  NS,
  type Node,
  one,
  responses,
  success,
  textOf,
} from './ews-xml.ts';

/** The EWS operations of the harness: one function per operation, each answering as messages.xsd shapes it. */
export interface EwsOperationContext {
  store: EwsMailboxStore;
  state: EwsUserState;
  /** Streaming subscriptions allowed. */
  streaming: boolean;
  /** Hostile: SyncFolderItems never includes the last item in range. */
  endless: boolean;
  ewsUrl: string;
  stream(res: ServerResponse): void;
  unstream(res: ServerResponse): void;
  /** CreateItem with a Send disposition: the failure asked for with failNextSend (taken once), if any. */
  takeSendFailure(): EwsSendFailure | null;
  /** A message sent: recorded in the server's `sent` list and delivered to recipients that are harness users. */
  sent(mime: Buffer, savedItemId: string | null): void;
}

/** What the next sending CreateItem answers: an error response message, or `drop` (sent, then the connection cut unanswered). */
export type EwsSendFailure = { code: string; message: string } | { drop: true };

export type OperationAnswer = { status: number; xml: string; code?: string; drop?: boolean };

interface Subscription {
  id: string;
  folders: Set<string>;
  eventTypes: Set<string>;
  queue: StoreEvent[];
  watermark: number;
  off: () => void;
  /** The open GetStreamingEvents answer, if any. */
  push?: (e: StoreEvent) => void;
}

const subscriptions = new WeakMap<EwsMailboxStore, Map<string, Subscription>>();
const subscriptionsOf = (store: EwsMailboxStore) => {
  const map = subscriptions.get(store) ?? new Map<string, Subscription>();
  subscriptions.set(store, map);
  return map;
};

function resolveFolder(store: EwsMailboxStore, parent: Node | undefined): EwsFolder | undefined {
  const id = attrOf(one(parent, 'FolderId'), 'Id') ?? attrOf(one(parent, 'DistinguishedFolderId'), 'Id');
  return id ? store.folder(id) : undefined;
}

const itemIdsOf = (node: Node | undefined) => all(one(node, 'ItemIds'), 'ItemId').map((n) => attrOf(n, 'Id') ?? '');

function syncFolderHierarchy(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const current = `h${ctx.store.hierarchyVersion}`;
  const asked = textOf(req, 'SyncState');
  const folders = [...ctx.store.folders.values()];
  const changes = asked === current ? '' : folders.map((f) => `<t:Create>${folderXml(f)}</t:Create>`).join('');
  return {
    status: 200,
    xml: responses(op, [
      success(
        op,
        `<m:SyncState>${current}</m:SyncState><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange><m:Changes>${changes}</m:Changes>`,
      ),
    ]),
  };
}

function getFolder(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const ids = one(req, 'FolderIds');
  const refs = [...all(ids, 'FolderId'), ...all(ids, 'DistinguishedFolderId')];
  const parts = refs.map((ref) => {
    const folder = ctx.store.folder(attrOf(ref, 'Id') ?? '');
    return folder
      ? success(op, `<m:Folders>${folderXml(folder)}</m:Folders>`)
      : failure(op, 'ErrorFolderNotFound', 'The specified folder could not be found in the store.');
  });
  return { status: 200, xml: responses(op, parts) };
}

function syncFolderItems(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const folder = resolveFolder(ctx.store, one(req, 'SyncFolderId'));
  if (!folder)
    return {
      status: 200,
      xml: responses(op, [failure(op, 'ErrorSyncFolderNotFound', 'The specified folder could not be found in the store.')]),
      code: 'ErrorSyncFolderNotFound',
    };
  const max = Math.min(512, Math.max(1, Number(textOf(req, 'MaxChangesReturned') ?? 512) || 512));
  const asked = textOf(req, 'SyncState') || null;
  if (ctx.endless) {
    // Hostile: always "more", never progress.
    const state = asked ?? Buffer.from('endless').toString('base64');
    return {
      status: 200,
      xml: responses(op, [
        success(op, `<m:SyncState>${state}</m:SyncState><m:IncludesLastItemInRange>false</m:IncludesLastItemInRange><m:Changes/>`),
      ]),
    };
  }
  try {
    const round = ctx.store.sync(folder, asked, max);
    return {
      status: 200,
      xml: responses(op, [
        success(
          op,
          `<m:SyncState>${round.syncState}</m:SyncState><m:IncludesLastItemInRange>${round.last}</m:IncludesLastItemInRange><m:Changes>${round.changes.map(changeXml).join('')}</m:Changes>`,
        ),
      ]),
    };
  } catch (err) {
    if (!(err instanceof InvalidSyncState)) throw err;
    return {
      status: 200,
      xml: responses(op, [failure(op, 'ErrorInvalidSyncStateData', 'Synchronization state data is corrupt or otherwise invalid.')]),
      code: 'ErrorInvalidSyncStateData',
    };
  }
}

function getItem(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const shape = one(req, 'ItemShape');
  const mime = textOf(shape, 'IncludeMimeContent') === 'true';
  const headers = all(one(shape, 'AdditionalProperties'), 'ExtendedFieldURI').some((n) => Number(attrOf(n, 'PropertyTag')) === 0x7d);
  const parts = itemIdsOf(req).map((id) => {
    const item = ctx.store.findItem(id);
    return item
      ? success(op, `<m:Items>${messageXml(item, { mime, headers })}</m:Items>`)
      : failure(op, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  });
  return { status: 200, xml: responses(op, parts) };
}

function updateItem(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const parts = all(one(req, 'ItemChanges'), 'ItemChange').map((change) => {
    const item = ctx.store.findItem(attrOf(one(change, 'ItemId'), 'Id') ?? '');
    if (!item) return failure(op, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const updates = one(change, 'Updates');
    const next: { isRead?: boolean; flagged?: boolean } = {};
    for (const set of all(updates, 'SetItemField')) {
      const field = attrOf(one(set, 'FieldURI'), 'FieldURI');
      const message = one(set, 'Message');
      if (field === 'message:IsRead') next.isRead = textOf(message, 'IsRead') === 'true';
      if (field === 'item:Flag') next.flagged = textOf(one(message, 'Flag'), 'FlagStatus') === 'Flagged';
    }
    for (const del of all(updates, 'DeleteItemField')) {
      if (attrOf(one(del, 'FieldURI'), 'FieldURI') === 'item:Flag') next.flagged = false;
    }
    ctx.store.update(item, next);
    return success(
      op,
      `<m:Items><t:Message>${itemIdXml(item)}</t:Message></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`,
    );
  });
  return { status: 200, xml: responses(op, parts) };
}

function moveItem(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const target = resolveFolder(ctx.store, one(req, 'ToFolderId'));
  const parts = itemIdsOf(req).map((id) => {
    const item = ctx.store.findItem(id);
    if (!target) return failure(op, 'ErrorFolderNotFound', 'The specified folder could not be found in the store.');
    if (!item) return failure(op, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return success(op, `<m:Items><t:Message>${itemIdXml(ctx.store.move(item, target))}</t:Message></m:Items>`);
  });
  return { status: 200, xml: responses(op, parts) };
}

function deleteItem(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const type = attrOf(req, 'DeleteType') ?? 'HardDelete';
  const trash = ctx.store.folder('deleteditems')!;
  const parts = itemIdsOf(req).map((id) => {
    const item = ctx.store.findItem(id);
    if (!item) return failure(op, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (type === 'MoveToDeletedItems' && item.folderId !== trash.id) ctx.store.move(item, trash);
    else ctx.store.remove(item);
    return success(op);
  });
  return { status: 200, xml: responses(op, parts) };
}

/**
 * CreateItem with MessageDisposition SendOnly or SendAndSaveCopy: sent (and, for the latter, saved read
 * in SavedItemFolderId, Sent Items by default). Exchange answers a sent item with an empty Items element.
 */
function sendItem(op: string, req: Node, ctx: EwsOperationContext, disposition: string): OperationAnswer {
  const messages = all(one(req, 'Items'), 'Message');
  const mime = textOf(messages[0], 'MimeContent');
  if (messages.length !== 1 || !mime) {
    return {
      status: 200,
      xml: responses(op, [failure(op, 'ErrorInvalidRequest', 'The request is invalid.')]),
      code: 'ErrorInvalidRequest',
    };
  }
  const folder =
    disposition === 'SendAndSaveCopy' ? (resolveFolder(ctx.store, one(req, 'SavedItemFolderId')) ?? ctx.store.folder('sentitems')!) : null;
  const fail = ctx.takeSendFailure();
  if (fail && 'code' in fail) return { status: 200, xml: responses(op, [failure(op, fail.code, fail.message)]), code: fail.code };
  const raw = Buffer.from(mime, 'base64');
  const saved = folder ? ctx.store.deliver(folder, raw, { isRead: true, event: true }) : null;
  ctx.sent(raw, saved?.id ?? null);
  if (fail) return { status: 0, xml: '', drop: true };
  return { status: 200, xml: responses(op, [success(op, '<m:Items/>')]) };
}

function createItem(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const disposition = attrOf(req, 'MessageDisposition') ?? 'SaveOnly';
  if (disposition === 'SendOnly' || disposition === 'SendAndSaveCopy') return sendItem(op, req, ctx, disposition);
  const folder = resolveFolder(ctx.store, one(req, 'SavedItemFolderId')) ?? ctx.store.folder('drafts')!;
  const parts = all(one(req, 'Items'), 'Message').map((message) => {
    const mime = textOf(message, 'MimeContent');
    if (!mime) return failure(op, 'ErrorInvalidRequest', 'The request is invalid.');
    // PR_MESSAGE_FLAGS (0x0E07) with MSGFLAG_READ, as clients save sent mail; or IsRead.
    const flags = all(message, 'ExtendedProperty').find((p) => Number(attrOf(one(p, 'ExtendedFieldURI'), 'PropertyTag')) === 0x0e07);
    const isRead = textOf(message, 'IsRead') === 'true' || (flags !== undefined && (Number(textOf(flags, 'Value')) & 1) === 1);
    const item = ctx.store.deliver(folder, Buffer.from(mime, 'base64'), { isRead, event: true });
    return success(op, `<m:Items><t:Message>${itemIdXml(item)}</t:Message></m:Items>`);
  });
  return { status: 200, xml: responses(op, parts) };
}

/**
 * FindItem (Shallow) in one folder: every item, or those whose message:InternetMessageId IsEqualTo a
 * Constant; IndexedPageItemView pages. Other restrictions are refused as Exchange refuses what it
 * cannot search (ErrorUnsupportedPathForQuery).
 */
function findItem(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const folder = resolveFolder(ctx.store, one(req, 'ParentFolderIds'));
  if (!folder) {
    return {
      status: 200,
      xml: responses(op, [failure(op, 'ErrorFolderNotFound', 'The specified folder could not be found in the store.')]),
      code: 'ErrorFolderNotFound',
    };
  }
  let items = [...folder.items.values()];
  const restriction = one(req, 'Restriction');
  if (restriction) {
    const equal = one(restriction, 'IsEqualTo');
    const field = attrOf(one(equal, 'FieldURI'), 'FieldURI');
    const value = attrOf(one(one(equal, 'FieldURIOrConstant'), 'Constant'), 'Value');
    if (field !== 'message:InternetMessageId' || value === undefined) {
      return {
        status: 200,
        xml: responses(op, [failure(op, 'ErrorUnsupportedPathForQuery', 'The property can not be used with this type of restriction.')]),
        code: 'ErrorUnsupportedPathForQuery',
      };
    }
    items = items.filter((i) => i.messageId === value);
  }
  const view = one(req, 'IndexedPageItemView');
  const offset = Number(attrOf(view, 'Offset') ?? 0) || 0;
  const max = Number(attrOf(view, 'MaxEntriesReturned') ?? 1000) || 1000;
  const page = items.slice(offset, offset + max);
  const last = offset + page.length >= items.length;
  const root = `<m:RootFolder IndexedPagingOffset="${offset + page.length}" TotalItemsInView="${items.length}" IncludesLastItemInRange="${last}"><t:Items>${page.map((i) => `<t:Message>${itemIdXml(i)}</t:Message>`).join('')}</t:Items></m:RootFolder>`;
  return { status: 200, xml: responses(op, [success(op, root)]) };
}

function eventXml(e: StoreEvent, watermark: number): string {
  const old = e.oldItemId ? `<t:OldItemId Id="${esc(e.oldItemId)}"/><t:OldParentFolderId Id="${esc(e.oldFolderId ?? '')}"/>` : '';
  return `<t:${e.kind}><t:Watermark>${watermark}</t:Watermark><t:TimeStamp>${new Date().toISOString()}</t:TimeStamp><t:ItemId Id="${esc(e.itemId)}"/><t:ParentFolderId Id="${esc(e.folderId)}"/>${old}</t:${e.kind}>`;
}

function subscribe(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const streaming = one(req, 'StreamingSubscriptionRequest');
  const request = (ctx.streaming ? streaming : undefined) ?? one(req, 'PullSubscriptionRequest');
  if (!request)
    return { status: 200, xml: responses(op, [failure(op, 'ErrorInvalidSubscriptionRequest', 'The subscription request is invalid.')]) };
  const folderIds = one(request, 'FolderIds');
  const folders = [...all(folderIds, 'FolderId'), ...all(folderIds, 'DistinguishedFolderId')].map(
    (n) => ctx.store.folder(attrOf(n, 'Id') ?? '')?.id,
  );
  if (folders.some((f) => !f))
    return {
      status: 200,
      xml: responses(op, [failure(op, 'ErrorFolderNotFound', 'The specified folder could not be found in the store.')]),
    };
  const sub: Subscription = {
    id: randomBytes(24).toString('base64'),
    folders: new Set(folders as string[]),
    eventTypes: new Set(all(one(request, 'EventTypes'), 'EventType').map((n) => textOf(n) ?? '')),
    queue: [],
    watermark: 1,
    off: () => undefined,
  };
  sub.off = ctx.store.onEvent((e) => {
    if (!sub.folders.has(e.folderId) && !(e.oldFolderId && sub.folders.has(e.oldFolderId))) return;
    const kinds = e.kind === 'NewMailEvent' ? ['NewMailEvent', 'CreatedEvent'] : [e.kind];
    for (const kind of kinds) {
      if (!sub.eventTypes.has(kind)) continue;
      const event = { ...e, kind: kind as StoreEvent['kind'] };
      if (sub.push) sub.push(event);
      else sub.queue.push(event);
    }
  });
  subscriptionsOf(ctx.store).set(sub.id, sub);
  const watermark = streaming ? '' : `<m:Watermark>${sub.watermark}</m:Watermark>`;
  return { status: 200, xml: responses(op, [success(op, `<m:SubscriptionId>${sub.id}</m:SubscriptionId>${watermark}`)]) };
}

function unsubscribe(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const id = textOf(req, 'SubscriptionId') ?? '';
  const sub = subscriptionsOf(ctx.store).get(id);
  sub?.off();
  subscriptionsOf(ctx.store).delete(id);
  return {
    status: 200,
    xml: responses(op, [sub ? success(op) : failure(op, 'ErrorSubscriptionNotFound', 'The specified subscription was not found.')]),
  };
}

function getEvents(op: string, req: Node, ctx: EwsOperationContext): OperationAnswer {
  const sub = subscriptionsOf(ctx.store).get(textOf(req, 'SubscriptionId') ?? '');
  if (!sub)
    return { status: 200, xml: responses(op, [failure(op, 'ErrorSubscriptionNotFound', 'The specified subscription was not found.')]) };
  const events = sub.queue.splice(0);
  const xml = events.length
    ? events.map((e) => eventXml(e, ++sub.watermark)).join('')
    : `<t:StatusEvent><t:Watermark>${sub.watermark}</t:Watermark></t:StatusEvent>`;
  return {
    status: 200,
    xml: responses(op, [
      success(
        op,
        `<m:Notification><t:SubscriptionId>${sub.id}</t:SubscriptionId><t:MoreEvents>false</t:MoreEvents>${xml}</m:Notification>`,
      ),
    ]),
  };
}

/** GetStreamingEvents: one long-lived chunked answer, a whole SOAP envelope per notification or heartbeat. */
function getStreamingEvents(op: string, req: Node, ctx: EwsOperationContext, res: ServerResponse): OperationAnswer | 'streaming' {
  const ids = all(one(req, 'SubscriptionIds'), 'SubscriptionId').map((n) => textOf(n) ?? '');
  const subs = ids.map((id) => subscriptionsOf(ctx.store).get(id));
  if (subs.length === 0 || subs.some((s) => !s)) {
    return { status: 200, xml: responses(op, [failure(op, 'ErrorSubscriptionNotFound', 'The specified subscription was not found.')]) };
  }
  const minutes = Math.min(30, Math.max(1, Number(textOf(req, 'ConnectionTimeout') ?? 30) || 30));
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
  ctx.stream(res);
  const write = (inner: string) => {
    if (!res.destroyed) res.write(responses(op, [success(op, inner)]));
  };
  write('<m:ConnectionStatus>OK</m:ConnectionStatus>');
  for (const sub of subs as Subscription[]) {
    sub.push = (e) =>
      write(
        `<m:Notifications><m:Notification><t:SubscriptionId>${sub.id}</t:SubscriptionId>${eventXml(e, ++sub.watermark)}</m:Notification></m:Notifications>`,
      );
    for (const e of sub.queue.splice(0)) sub.push(e);
  }
  const heartbeat = setInterval(() => write('<m:ConnectionStatus>OK</m:ConnectionStatus>'), 5_000);
  const end = setTimeout(() => {
    write('<m:ConnectionStatus>Closed</m:ConnectionStatus>');
    res.end();
  }, minutes * 60_000);
  res.on('close', () => {
    clearInterval(heartbeat);
    clearTimeout(end);
    ctx.unstream(res);
    for (const sub of subs as Subscription[]) sub.push = undefined;
  });
  return 'streaming';
}

const OPERATIONS: Record<string, (op: string, req: Node, ctx: EwsOperationContext) => OperationAnswer> = {
  SyncFolderHierarchy: syncFolderHierarchy,
  GetFolder: getFolder,
  SyncFolderItems: syncFolderItems,
  GetItem: getItem,
  UpdateItem: updateItem,
  MoveItem: moveItem,
  DeleteItem: deleteItem,
  CreateItem: createItem,
  FindItem: findItem,
  Subscribe: subscribe,
  Unsubscribe: unsubscribe,
  GetEvents: getEvents,
};

export function handleOperation(op: string, req: Node, ctx: EwsOperationContext, res: ServerResponse): OperationAnswer | 'streaming' {
  if (ctx.state.accessDenied) {
    return {
      status: 200,
      xml: responses(op, [failure(op, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.')]),
      code: 'ErrorAccessDenied',
    };
  }
  if (ctx.state.moveInProgress) {
    return {
      status: 200,
      xml: responses(op, [failure(op, 'ErrorMailboxMoveInProgress', 'The mailbox is being moved. Try again later.')]),
      code: 'ErrorMailboxMoveInProgress',
    };
  }
  if (op === 'GetStreamingEvents') return getStreamingEvents(op, req, ctx, res);
  const handler = OPERATIONS[op];
  if (!handler) {
    return {
      status: 500,
      xml: envelope(
        `<s:Fault><faultcode xmlns:a="${NS.t}">a:ErrorInvalidRequest</faultcode><faultstring>The request is invalid.</faultstring></s:Fault>`,
      ),
      code: 'ErrorInvalidRequest',
    };
  }
  return handler(op, req, ctx);
}
