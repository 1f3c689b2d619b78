import { parseUntrustedXmlAs, type XmlNode } from '../../kernel/xml.ts';
import { DiscoveryError } from './types.ts';

/** Autoconfig and Autodiscover answers are a few KiB; anything far larger is not one. */
export const maxXmlBytes = 256 * 1024;

export type { XmlNode };

/** Parses untrusted XML from the network: no DOCTYPE, no entity declarations, bounded size. */
export function parseXml(text: string): XmlNode {
  if (text.length > maxXmlBytes) throw new DiscoveryError('too_large', 'XML document too large');
  return parseUntrustedXmlAs(
    text,
    (err) =>
      new DiscoveryError('bad_response', err.reason === 'doctype' ? 'XML with a DOCTYPE or entity declaration is refused' : err.message),
  );
}

/** The children named `name`, always as an array (XML gives one or many). */
export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as XmlNode)[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}

/** Text content of the first child named `name` (an element with attributes keeps it under '#text'). */
export function text(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const raw = (node as XmlNode)[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first === 'string') return first.trim();
  if (typeof first === 'number') return String(first);
  if (first && typeof first === 'object' && typeof (first as XmlNode)['#text'] === 'string') {
    return ((first as XmlNode)['#text'] as string).trim();
  }
  return undefined;
}

export function attr(node: XmlNode, name: string): string | undefined {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

const hostName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A host name as a client would dial it, or undefined for anything else (spaces, URLs, placeholders). */
export function cleanHost(value: string | undefined): string | undefined {
  const h = value?.trim().toLowerCase().replace(/\.$/, '');
  return h && hostName.test(h) ? h : undefined;
}

export function cleanPort(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,5}$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n > 0 && n < 65536 ? n : undefined;
}
