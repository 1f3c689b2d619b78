import { escapeXml, parseUntrustedXmlAs, type XmlNode } from '../../kernel/xml.ts';
import { ConnectorError } from '../types.ts';

/** SOAP envelopes for EWS requests and the reading of its answers (messages.xsd / types.xsd shapes). */
export const EWS_NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  m: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  t: 'http://schemas.microsoft.com/exchange/services/2006/types',
};

/** Exchange 2013 SP1 is the oldest schema with item:Flag; 2016, 2019 and SE accept it. */
const REQUEST_VERSION = 'Exchange2013_SP1';

export { escapeXml as xmlEscape, type XmlNode };

export function soapEnvelope(body: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<soap:Envelope xmlns:soap="${EWS_NS.soap}" xmlns:m="${EWS_NS.m}" xmlns:t="${EWS_NS.t}">`,
    `<soap:Header><t:RequestServerVersion Version="${REQUEST_VERSION}"/></soap:Header>`,
    `<soap:Body>${body}</soap:Body>`,
    '</soap:Envelope>',
  ].join('');
}

/** Parses an answer from the server: no DOCTYPE (so no entity expansion), well-formed or protocol_error. */
export function parseSoap(xml: string): XmlNode {
  return parseUntrustedXmlAs(
    xml,
    (err) =>
      new ConnectorError(
        'protocol_error',
        err.reason === 'doctype' ? 'The server sent XML with a DOCTYPE.' : `The server sent ${err.message}.`,
      ),
  );
}

/**
 * Takes the base64 of every MimeContent out of an answer before it is parsed: sources are most of a
 * GetItem answer's bytes and base64 holds no markup, so the parser only walks the small rest.
 * Each MimeContent's text becomes its index in `contents`.
 */
export function takeMimeContents(xml: string): { xml: string; contents: string[] } {
  const contents: string[] = [];
  const parts: string[] = [];
  const open = /<(\w+:)?MimeContent\b[^>]*>/g;
  let at = 0;
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const start = m.index + m[0].length;
    const end = xml.indexOf('<', start);
    if (end < 0) break;
    parts.push(xml.slice(at, start), String(contents.length));
    contents.push(xml.slice(start, end));
    at = end;
    open.lastIndex = end;
  }
  parts.push(xml.slice(at));
  return { xml: parts.join(''), contents };
}

export function all(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => (typeof x === 'object' && x !== null ? (x as XmlNode) : ({ '#text': x } as XmlNode)));
}

export const one = (node: unknown, name: string): XmlNode | undefined => all(node, name)[0];

export function text(node: unknown, name?: string): string | undefined {
  const n = name === undefined ? node : (node as XmlNode | undefined)?.[name];
  const first = Array.isArray(n) ? n[0] : n;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') {
    const t = (first as XmlNode)['#text'];
    return typeof t === 'string' ? t : undefined;
  }
  return undefined;
}

export const attr = (node: XmlNode | undefined, name: string): string | undefined => {
  const v = node?.[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
};

export interface EwsFaultInfo {
  code: string;
  message: string;
  backOffMs?: number;
}

/** A SOAP fault's EWS response code (ErrorServerBusy …) and BackOffMilliseconds, if the body is one. */
export function faultOf(doc: XmlNode): EwsFaultInfo | null {
  const f = one(one(one(doc, 'Envelope'), 'Body'), 'Fault');
  if (!f) return null;
  const detail = one(f, 'detail');
  const code = text(detail, 'ResponseCode') ?? text(f, 'faultcode')?.replace(/^\w+:/, '') ?? 'Fault';
  const backOff = all(one(detail, 'MessageXml'), 'Value').find((v) => attr(v, 'Name') === 'BackOffMilliseconds');
  const ms = backOff ? Number(text(backOff)) : Number.NaN;
  return { code, message: text(f, 'faultstring') ?? code, ...(Number.isFinite(ms) && ms >= 0 ? { backOffMs: ms } : {}) };
}

/** One response message per request part: its class, code and text. */
export interface ResponseMessage {
  ok: boolean;
  code: string;
  message: string;
  node: XmlNode;
}

/** Connector codes for the response codes a mail client meets; the EWS code stays in serverResponse. */
export function errorForCode(code: string, message: string, backOffMs?: number): ConnectorError {
  const extra = { serverResponse: code, ...(backOffMs !== undefined ? { retryAfterMs: backOffMs } : {}) };
  const text = `${code}: ${message}`;
  switch (code) {
    case 'ErrorServerBusy':
      return new ConnectorError('rate_limited', text, extra);
    case 'ErrorAccessDenied':
    case 'ErrorNonExistentMailbox':
      return new ConnectorError('auth_failed', text, extra);
    case 'ErrorFolderNotFound':
    case 'ErrorSyncFolderNotFound':
      return new ConnectorError('folder_not_found', text, extra);
    case 'ErrorSchemaValidation':
    case 'ErrorInvalidRequest':
      return new ConnectorError('protocol_error', text, extra);
    default:
      // ErrorMailboxMoveInProgress, ErrorInternalServerError, ErrorTimeoutExpired …: temporary, back off.
      return new ConnectorError('server_error', text, extra);
  }
}

/**
 * Reads an EWS answer: HTTP status, SOAP fault, then the `<op>ResponseMessage`s. Faults and HTTP
 * errors throw; per-part errors are returned for the caller to judge.
 */
export function readResponse(answer: { status: number; body: string }, op: string, doc?: XmlNode): ResponseMessage[] {
  if (answer.status === 403) {
    throw new ConnectorError('auth_failed', 'The server refused Exchange Web Services for this user (HTTP 403: EWS disabled).', {
      serverResponse: 'ews_disabled',
    });
  }
  const looksXml = /^\s*(<\?xml|<[\w:]*Envelope)/.test(answer.body);
  if (!looksXml) {
    if (answer.status >= 500) throw new ConnectorError('server_error', `The server answered HTTP ${answer.status}.`);
    throw new ConnectorError('protocol_error', `The server answered HTTP ${answer.status} without a SOAP body.`);
  }
  const parsed = doc ?? parseSoap(answer.body);
  const fault = faultOf(parsed);
  if (fault) throw errorForCode(fault.code, fault.message, fault.backOffMs);
  const response = one(one(one(parsed, 'Envelope'), 'Body'), `${op}Response`);
  if (!response) throw new ConnectorError('protocol_error', `The answer has no ${op}Response (HTTP ${answer.status}).`);
  return all(one(response, 'ResponseMessages'), `${op}ResponseMessage`).map((node) => ({
    ok: attr(node, 'ResponseClass') !== 'Error',
    code: text(node, 'ResponseCode') ?? 'NoError',
    message: text(node, 'MessageText') ?? '',
    node,
  }));
}

/** The first part's error thrown, or every part returned. */
export function expectSuccess(messages: ResponseMessage[]): ResponseMessage[] {
  const bad = messages.find((m) => !m.ok);
  if (bad) throw errorForCode(bad.code, bad.message);
  return messages;
}
