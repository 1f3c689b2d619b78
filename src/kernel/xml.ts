import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed element: child elements by local name (namespace prefixes dropped), attributes as '@_name'. */
export type XmlNode = Record<string, unknown>;

/** Escapes text for an element's content or a double-quoted attribute. */
export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Why XML from the network was refused; callers turn it into their own error. */
export class UntrustedXmlError extends Error {
  constructor(
    readonly reason: 'doctype' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only the five predefined entities are decoded; a DOCTYPE (and so any declared entity) is refused first.
  processEntities: true,
  htmlEntities: false,
});

/** Parses XML a server sent: no DOCTYPE (so no entity expansion), well-formed, or UntrustedXmlError. */
export function parseUntrustedXml(xml: string): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new UntrustedXmlError('doctype', 'XML with a DOCTYPE or entity declaration');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new UntrustedXmlError('malformed', `malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  return parser.parse(xml) as XmlNode;
}

/** parseUntrustedXml with a refusal turned into the caller's own error (its message for people, its code). */
export function parseUntrustedXmlAs(xml: string, refusal: (err: UntrustedXmlError) => Error): XmlNode {
  try {
    return parseUntrustedXml(xml);
  } catch (err) {
    if (err instanceof UntrustedXmlError) throw refusal(err);
    throw err;
  }
}
