import { XMLParser } from 'fast-xml-parser';
import type { EwsFolder, EwsItem, SyncChange } from './ews-store.ts';

/** XML pieces of the EWS harness's answers, shaped as Microsoft's EWS reference shows them. */
export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  m: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  t: 'http://schemas.microsoft.com/exchange/services/2006/types',
  errors: 'http://schemas.microsoft.com/exchange/services/2006/errors',
};

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: () => false,
});

export type Node = Record<string, unknown>;

export function parseRequest(xml: string): Node {
  return parser.parse(xml) as Node;
}

export function all(node: unknown, name: string): Node[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as Node)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => (typeof x === 'object' && x !== null ? (x as Node) : ({ '#text': x } as Node)));
}

export const one = (node: unknown, name: string): Node | undefined => all(node, name)[0];

export function textOf(node: unknown, name?: string): string | undefined {
  const n = name ? (node as Node | undefined)?.[name] : node;
  const first = Array.isArray(n) ? n[0] : n;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') {
    const t = (first as Node)['#text'];
    return typeof t === 'string' ? t : undefined;
  }
  return undefined;
}

export const attrOf = (node: Node | undefined, name: string): string | undefined => {
  const v = node?.[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
};

export function envelope(body: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<s:Envelope xmlns:s="${NS.soap}">`,
    '<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" Version="V2017_07_11" ',
    `xmlns:h="${NS.t}" xmlns="${NS.t}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></s:Header>`,
    `<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">${body}</s:Body>`,
    '</s:Envelope>',
  ].join('');
}

/** A response with one ResponseMessage per part, `<m:{op}Response>`. */
export function responses(op: string, messages: string[]): string {
  return envelope(
    `<m:${op}Response xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${messages.join('')}</m:ResponseMessages></m:${op}Response>`,
  );
}

export function success(op: string, inner = ''): string {
  return `<m:${op}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${inner}</m:${op}ResponseMessage>`;
}

export function failure(op: string, code: string, text: string): string {
  return `<m:${op}ResponseMessage ResponseClass="Error"><m:MessageText>${esc(text)}</m:MessageText><m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:${op}ResponseMessage>`;
}

/** A SOAP fault as Exchange sends ErrorServerBusy (HTTP 500), BackOffMilliseconds in MessageXml. */
export function fault(code: string, text: string, backOffMs?: number): string {
  const messageXml =
    backOffMs === undefined
      ? ''
      : `<t:MessageXml xmlns:t="${NS.t}"><t:Value Name="BackOffMilliseconds">${backOffMs}</t:Value></t:MessageXml>`;
  return envelope(
    `<s:Fault><faultcode xmlns:a="${NS.t}">a:${code}</faultcode><faultstring xml:lang="en-US">${esc(text)}</faultstring><detail><e:ResponseCode xmlns:e="${NS.errors}">${code}</e:ResponseCode><e:Message xmlns:e="${NS.errors}">${esc(text)}</e:Message>${messageXml}</detail></s:Fault>`,
  );
}

export const itemIdXml = (item: { id: string; changeKey: string }) => `<t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/>`;

function headerBlock(mime: Buffer): string {
  const end = mime.indexOf('\r\n\r\n');
  return mime.subarray(0, end < 0 ? mime.length : end + 2).toString('utf8');
}

export function messageXml(item: EwsItem, opts: { mime?: boolean; headers?: boolean } = {}): string {
  const parts = [
    opts.mime ? `<t:MimeContent CharacterSet="UTF-8">${item.mime.toString('base64')}</t:MimeContent>` : '',
    itemIdXml(item),
    `<t:ParentFolderId Id="${esc(item.folderId)}"/>`,
    `<t:Subject>${esc(item.subject)}</t:Subject>`,
    `<t:DateTimeReceived>${item.received.toISOString().replace(/\.\d{3}Z$/, 'Z')}</t:DateTimeReceived>`,
    `<t:Size>${item.mime.length}</t:Size>`,
    opts.headers
      ? `<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x7d" PropertyType="String"/><t:Value>${esc(headerBlock(item.mime))}</t:Value></t:ExtendedProperty>`
      : '',
    `<t:Flag><t:FlagStatus>${item.flagged ? 'Flagged' : 'NotFlagged'}</t:FlagStatus></t:Flag>`,
    item.messageId ? `<t:InternetMessageId>${esc(item.messageId)}</t:InternetMessageId>` : '',
    `<t:IsRead>${item.isRead}</t:IsRead>`,
  ];
  return `<t:Message>${parts.join('')}</t:Message>`;
}

export function changeXml(change: SyncChange): string {
  if (change.kind === 'Delete') return `<t:Delete><t:ItemId Id="${esc(change.itemId)}"/></t:Delete>`;
  if (change.kind === 'ReadFlagChange')
    return `<t:ReadFlagChange>${itemIdXml(change.item)}<t:IsRead>${change.item.isRead}</t:IsRead></t:ReadFlagChange>`;
  return `<t:${change.kind}>${messageXml(change.item)}</t:${change.kind}>`;
}

export function folderXml(folder: EwsFolder): string {
  const element = folder.folderClass === 'IPF.Appointment' ? 'CalendarFolder' : 'Folder';
  const unread = [...folder.items.values()].filter((i) => !i.isRead).length;
  return [
    `<t:${element}>`,
    `<t:FolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>`,
    `<t:ParentFolderId Id="${esc(folder.parentId)}"/>`,
    `<t:FolderClass>${folder.folderClass}</t:FolderClass>`,
    `<t:DisplayName>${esc(folder.name)}</t:DisplayName>`,
    `<t:TotalCount>${folder.items.size}</t:TotalCount>`,
    `<t:ChildFolderCount>0</t:ChildFolderCount>`,
    element === 'Folder' ? `<t:UnreadCount>${unread}</t:UnreadCount>` : '',
    `</t:${element}>`,
  ].join('');
}
