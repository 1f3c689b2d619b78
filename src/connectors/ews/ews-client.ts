import type { FlagName, RemoteMessageRef } from '../types.ts';
import { ConnectorError } from '../types.ts';
import type { EwsHttp } from './ews-http.ts';
import {
  all,
  attr,
  expectSuccess,
  one,
  parseSoap,
  readResponse,
  type ResponseMessage,
  soapEnvelope,
  takeMimeContents,
  text,
  xmlEscape,
  type XmlNode,
} from './soap.ts';

/** Typed EWS operations over one EwsHttp: request bodies as messages.xsd orders them, answers read. */

/** Item properties the connector lists with every item: enough for a message ref without the source. */
const ITEM_PROPERTIES = ['item:DateTimeReceived', 'item:Size', 'message:IsRead', 'item:Flag', 'message:InternetMessageId']
  .map((f) => `<t:FieldURI FieldURI="${f}"/>`)
  .join('');
/** PR_TRANSPORT_MESSAGE_HEADERS: the header block of a message too large to download. */
const HEADERS_PROPERTY = '<t:ExtendedFieldURI PropertyTag="0x007D" PropertyType="String"/>';

export interface EwsFolderInfo {
  id: string;
  parentId: string | null;
  name: string;
  folderClass: string | null;
  total: number | null;
  unread: number | null;
}

export type ItemChange =
  | { kind: 'create' | 'update'; ref: RemoteMessageRef }
  | { kind: 'read'; id: string; isRead: boolean }
  | { kind: 'delete'; id: string };

export interface SyncPage {
  syncState: string;
  last: boolean;
  changes: ItemChange[];
}

export interface FetchedItem {
  ref: RemoteMessageRef;
  mime: Buffer | null;
  headers: string | null;
}

const folderRef = (id: string) => (/^[a-z]+$/.test(id) ? `<t:DistinguishedFolderId Id="${id}"/>` : `<t:FolderId Id="${xmlEscape(id)}"/>`);
const itemIds = (ids: string[]) => ids.map((id) => `<t:ItemId Id="${xmlEscape(id)}"/>`).join('');

/** The item element inside a Create/Update/Items (Message, or any other item type). */
function itemNode(parent: XmlNode): XmlNode | undefined {
  for (const [key, value] of Object.entries(parent)) {
    if (key.startsWith('@_') || key === '#text') continue;
    const node = Array.isArray(value) ? value[0] : value;
    if (node && typeof node === 'object' && one(node, 'ItemId')) return node as XmlNode;
  }
  return undefined;
}

export function refOfItem(node: XmlNode): RemoteMessageRef {
  const id = attr(one(node, 'ItemId'), 'Id');
  if (!id) throw new ConnectorError('protocol_error', 'An item without an ItemId.');
  const flags: FlagName[] = [];
  if (text(node, 'IsRead') === 'true') flags.push('seen');
  if (text(one(node, 'Flag'), 'FlagStatus') === 'Flagged') flags.push('flagged');
  const received = text(node, 'DateTimeReceived');
  const date = received ? new Date(received) : null;
  const size = Number(text(node, 'Size'));
  const messageId = text(node, 'InternetMessageId') || null;
  return {
    remoteId: id,
    // ItemIds change on every move: the Message-ID lets the engine link a moved message to the stored one.
    stableId: messageId,
    messageId,
    threadId: null,
    flags,
    keywords: [],
    size: Number.isFinite(size) ? size : null,
    internalDate: date && !Number.isNaN(date.getTime()) ? date : null,
    modseq: null,
  };
}

function folderOf(node: XmlNode): EwsFolderInfo | null {
  const id = attr(one(node, 'FolderId'), 'Id');
  if (!id) return null;
  const n = (v: string | undefined) => (v === undefined || !/^\d+$/.test(v) ? null : Number(v));
  return {
    id,
    parentId: attr(one(node, 'ParentFolderId'), 'Id') ?? null,
    name: text(node, 'DisplayName') ?? '',
    folderClass: text(node, 'FolderClass') ?? null,
    total: n(text(node, 'TotalCount')),
    unread: n(text(node, 'UnreadCount')),
  };
}

const FOLDER_ELEMENTS = ['Folder', 'CalendarFolder', 'ContactsFolder', 'SearchFolder', 'TasksFolder'];
const folderNodes = (parent: XmlNode | undefined) => FOLDER_ELEMENTS.flatMap((e) => all(parent, e).map((node) => ({ element: e, node })));

export class EwsClient {
  constructor(readonly http: EwsHttp) {}

  async call(op: string, body: string): Promise<ResponseMessage[]> {
    return readResponse(await this.http.post(soapEnvelope(body)), op);
  }

  /** Every folder under the message root, with its class (mail folders are IPF.Note or none). */
  async syncFolderHierarchy(): Promise<Array<EwsFolderInfo & { element: string }>> {
    const [msg] = expectSuccess(
      await this.call(
        'SyncFolderHierarchy',
        '<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape></m:SyncFolderHierarchy>',
      ),
    );
    const changes = one(msg?.node, 'Changes');
    const out: Array<EwsFolderInfo & { element: string }> = [];
    for (const create of [...all(changes, 'Create'), ...all(changes, 'Update')]) {
      for (const { element, node } of folderNodes(create)) {
        const f = folderOf(node);
        if (f) out.push({ ...f, element });
      }
    }
    return out;
  }

  /** GetFolder for ids or distinguished names; a folder the server does not have is null. */
  async getFolders(ids: string[]): Promise<Array<EwsFolderInfo | null>> {
    const messages = await this.call(
      'GetFolder',
      `<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds>${ids.map(folderRef).join('')}</m:FolderIds></m:GetFolder>`,
    );
    return messages.map((m) => {
      if (!m.ok) {
        if (m.code === 'ErrorFolderNotFound' || m.code === 'ErrorInvalidRequest' || m.code === 'ErrorSchemaValidation') return null;
        throw expectSuccess([m]);
      }
      const node = folderNodes(one(m.node, 'Folders'))[0]?.node;
      return node ? folderOf(node) : null;
    });
  }

  async syncFolderItems(folderId: string, syncState: string | null, max: number): Promise<SyncPage> {
    const body = [
      '<m:SyncFolderItems>',
      `<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>${ITEM_PROPERTIES}</t:AdditionalProperties></m:ItemShape>`,
      `<m:SyncFolderId>${folderRef(folderId)}</m:SyncFolderId>`,
      syncState ? `<m:SyncState>${xmlEscape(syncState)}</m:SyncState>` : '',
      `<m:MaxChangesReturned>${max}</m:MaxChangesReturned>`,
      '<m:SyncScope>NormalItems</m:SyncScope>',
      '</m:SyncFolderItems>',
    ].join('');
    const [msg] = await this.call('SyncFolderItems', body);
    if (!msg) throw new ConnectorError('protocol_error', 'SyncFolderItems answered without a response message.');
    expectSuccess([msg]);
    const state = text(msg.node, 'SyncState');
    if (!state) throw new ConnectorError('protocol_error', 'SyncFolderItems answered without a SyncState.');
    const changes = one(msg.node, 'Changes');
    const out: ItemChange[] = [];
    for (const c of all(changes, 'Create')) {
      const node = itemNode(c);
      if (node) out.push({ kind: 'create', ref: refOfItem(node) });
    }
    for (const c of all(changes, 'Update')) {
      const node = itemNode(c);
      if (node) out.push({ kind: 'update', ref: refOfItem(node) });
    }
    for (const c of all(changes, 'ReadFlagChange')) {
      const id = attr(one(c, 'ItemId'), 'Id');
      if (id) out.push({ kind: 'read', id, isRead: text(c, 'IsRead') === 'true' });
    }
    for (const c of all(changes, 'Delete')) {
      const id = attr(one(c, 'ItemId'), 'Id');
      if (id) out.push({ kind: 'delete', id });
    }
    return { syncState: state, last: text(msg.node, 'IncludesLastItemInRange') !== 'false', changes: out };
  }

  /** GetItem: sources (MimeContent, base64) or the header block; a missing item is left out. */
  async getItems(ids: string[], want: 'mime' | 'headers' | 'properties'): Promise<FetchedItem[]> {
    const shape = [
      '<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>',
      want === 'mime' ? '<t:IncludeMimeContent>true</t:IncludeMimeContent>' : '',
      `<t:AdditionalProperties>${ITEM_PROPERTIES}${want === 'headers' ? HEADERS_PROPERTY : ''}</t:AdditionalProperties></m:ItemShape>`,
    ].join('');
    const answer = await this.http.post(soapEnvelope(`<m:GetItem>${shape}<m:ItemIds>${itemIds(ids)}</m:ItemIds></m:GetItem>`));
    const taken = /^\s*(<\?xml|<[\w:]*Envelope)/.test(answer.body) ? takeMimeContents(answer.body) : null;
    const messages = readResponse(answer, 'GetItem', taken ? parseSoap(taken.xml) : undefined);
    const out: FetchedItem[] = [];
    for (const m of messages) {
      if (!m.ok) {
        if (m.code === 'ErrorItemNotFound' || m.code === 'ErrorInvalidIdMalformed') continue;
        expectSuccess([m]);
      }
      const node = itemNode(one(m.node, 'Items') ?? {});
      if (!node) continue;
      const index = text(node, 'MimeContent');
      const mime = index === undefined ? undefined : taken?.contents[Number(index)];
      const headers = all(node, 'ExtendedProperty').map((p) => text(p, 'Value'))[0] ?? null;
      out.push({ ref: refOfItem(node), mime: mime === undefined ? null : Buffer.from(mime, 'base64'), headers });
    }
    return out;
  }

  async updateItems(ids: string[], change: { isRead?: boolean; flagged?: boolean }): Promise<void> {
    const updates = [
      change.isRead === undefined
        ? ''
        : `<t:SetItemField><t:FieldURI FieldURI="message:IsRead"/><t:Message><t:IsRead>${change.isRead}</t:IsRead></t:Message></t:SetItemField>`,
      change.flagged === undefined
        ? ''
        : `<t:SetItemField><t:FieldURI FieldURI="item:Flag"/><t:Message><t:Flag><t:FlagStatus>${change.flagged ? 'Flagged' : 'NotFlagged'}</t:FlagStatus></t:Flag></t:Message></t:SetItemField>`,
    ].join('');
    if (!updates || ids.length === 0) return;
    const changes = ids
      .map((id) => `<t:ItemChange><t:ItemId Id="${xmlEscape(id)}"/><t:Updates>${updates}</t:Updates></t:ItemChange>`)
      .join('');
    const messages = await this.call(
      'UpdateItem',
      `<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly" SuppressReadReceipts="true"><m:ItemChanges>${changes}</m:ItemChanges></m:UpdateItem>`,
    );
    expectSuccess(messages.filter((m) => m.code !== 'ErrorItemNotFound'));
  }

  /** MoveItem: the new ItemIds (Exchange gives a moved item a new id), in the order asked. */
  async moveItems(ids: string[], targetFolderId: string): Promise<Array<string | null>> {
    const messages = await this.call(
      'MoveItem',
      `<m:MoveItem><m:ToFolderId>${folderRef(targetFolderId)}</m:ToFolderId><m:ItemIds>${itemIds(ids)}</m:ItemIds><m:ReturnNewItemIds>true</m:ReturnNewItemIds></m:MoveItem>`,
    );
    return messages.map((m) => {
      if (!m.ok) {
        if (m.code === 'ErrorItemNotFound') return null;
        throw expectSuccess([m]);
      }
      const node = itemNode(one(m.node, 'Items') ?? {});
      return node ? (attr(one(node, 'ItemId'), 'Id') ?? null) : null;
    });
  }

  async deleteItems(ids: string[], type: 'HardDelete' | 'MoveToDeletedItems'): Promise<void> {
    const messages = await this.call(
      'DeleteItem',
      `<m:DeleteItem DeleteType="${type}"><m:ItemIds>${itemIds(ids)}</m:ItemIds></m:DeleteItem>`,
    );
    expectSuccess(messages.filter((m) => m.code !== 'ErrorItemNotFound'));
  }

  /** CreateItem from a MIME source, saved (not sent) in the folder; read when `isRead`. */
  async createItem(folderId: string, mime: Buffer, isRead: boolean): Promise<string | null> {
    // PR_MESSAGE_FLAGS 1 (read, not a draft): saved as received or sent mail rather than as a draft.
    const flags = `<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x0E07" PropertyType="Integer"/><t:Value>${isRead ? 1 : 0}</t:Value></t:ExtendedProperty>`;
    const messages = await this.call(
      'CreateItem',
      `<m:CreateItem MessageDisposition="SaveOnly"><m:SavedItemFolderId>${folderRef(folderId)}</m:SavedItemFolderId><m:Items><t:Message><t:MimeContent>${mime.toString('base64')}</t:MimeContent>${flags}</t:Message></m:Items></m:CreateItem>`,
    );
    const [m] = expectSuccess(messages);
    const node = m ? itemNode(one(m.node, 'Items') ?? {}) : undefined;
    return node ? (attr(one(node, 'ItemId'), 'Id') ?? null) : null;
  }

  /**
   * FindItem in one folder restricted to message:InternetMessageId equal to `messageIdHeader`: the ItemIds
   * (as SyncFolderItems gives them) of its copies there, at most `max`.
   */
  async findByInternetMessageId(folderId: string, messageIdHeader: string, max = 50): Promise<string[]> {
    const body = [
      '<m:FindItem Traversal="Shallow">',
      '<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>',
      `<m:IndexedPageItemView MaxEntriesReturned="${max}" Offset="0" BasePoint="Beginning"/>`,
      '<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI="message:InternetMessageId"/>',
      `<t:FieldURIOrConstant><t:Constant Value="${xmlEscape(messageIdHeader)}"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>`,
      `<m:ParentFolderIds>${folderRef(folderId)}</m:ParentFolderIds>`,
      '</m:FindItem>',
    ].join('');
    const [m] = expectSuccess(await this.call('FindItem', body));
    const items = one(one(m?.node, 'RootFolder'), 'Items') ?? {};
    const ids: string[] = [];
    for (const [key, value] of Object.entries(items)) {
      if (key.startsWith('@_') || key === '#text') continue;
      for (const node of Array.isArray(value) ? value : [value]) {
        const id = node && typeof node === 'object' ? attr(one(node, 'ItemId'), 'Id') : undefined;
        if (id) ids.push(id);
      }
    }
    return ids;
  }

  /**
   * CreateItem with MessageDisposition SendAndSaveCopy: Exchange sends the MIME source and keeps the copy
   * in Sent Items. The one response message comes back unjudged (the sender maps its code).
   */
  async sendMime(mime: Buffer): Promise<ResponseMessage> {
    const messages = await this.call(
      'CreateItem',
      `<m:CreateItem MessageDisposition="SendAndSaveCopy"><m:SavedItemFolderId><t:DistinguishedFolderId Id="sentitems"/></m:SavedItemFolderId><m:Items><t:Message><t:MimeContent CharacterSet="UTF-8">${mime.toString('base64')}</t:MimeContent></t:Message></m:Items></m:CreateItem>`,
    );
    const [m] = messages;
    if (!m) throw new ConnectorError('protocol_error', 'CreateItem answered without a response message.');
    return m;
  }

  async subscribeStreaming(folderId: string): Promise<string> {
    const events = ['NewMailEvent', 'CreatedEvent', 'DeletedEvent', 'ModifiedEvent', 'MovedEvent', 'CopiedEvent']
      .map((e) => `<t:EventType>${e}</t:EventType>`)
      .join('');
    const [m] = expectSuccess(
      await this.call(
        'Subscribe',
        `<m:Subscribe><m:StreamingSubscriptionRequest><t:FolderIds>${folderRef(folderId)}</t:FolderIds><t:EventTypes>${events}</t:EventTypes></m:StreamingSubscriptionRequest></m:Subscribe>`,
      ),
    );
    const id = text(m?.node, 'SubscriptionId');
    if (!id) throw new ConnectorError('protocol_error', 'Subscribe answered without a SubscriptionId.');
    return id;
  }

  async unsubscribe(subscriptionId: string): Promise<void> {
    await this.call('Unsubscribe', `<m:Unsubscribe><m:SubscriptionId>${xmlEscape(subscriptionId)}</m:SubscriptionId></m:Unsubscribe>`);
  }
}

export function streamingRequest(subscriptionId: string, minutes: number): string {
  return soapEnvelope(
    `<m:GetStreamingEvents><m:SubscriptionIds><t:SubscriptionId>${xmlEscape(subscriptionId)}</t:SubscriptionId></m:SubscriptionIds><m:ConnectionTimeout>${minutes}</m:ConnectionTimeout></m:GetStreamingEvents>`,
  );
}
