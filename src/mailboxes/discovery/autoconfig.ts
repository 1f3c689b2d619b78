import type { Security, ServerSetting } from '../catalogue/index.ts';
import type { ParsedEmail } from './email.ts';
import { children, cleanHost, cleanPort, parseXml, text, type XmlNode } from './xml.ts';

/** The two places a domain publishes a Thunderbird clientConfig, in Thunderbird's order. */
export function autoconfigUrls(email: ParsedEmail): string[] {
  return [
    `https://autoconfig.${email.domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(email.address)}`,
    `https://${email.domain}/.well-known/autoconfig/mail/config-v1.1.xml`,
  ];
}

export interface ClientConfig {
  imap?: ServerSetting;
  smtp?: ServerSetting;
  username: string;
}

const socketTypes: Record<string, Security> = { ssl: 'tls', starttls: 'starttls', plain: 'plain' };

function fill(template: string, email: ParsedEmail): string {
  return template
    .replace(/%EMAILADDRESS%/g, email.address)
    .replace(/%EMAILLOCALPART%/g, email.local)
    .replace(/%EMAILDOMAIN%/g, email.domain);
}

function server(node: XmlNode, email: ParsedEmail): ServerSetting | undefined {
  const host = cleanHost(fill(text(node, 'hostname') ?? '', email));
  const port = cleanPort(text(node, 'port'));
  const security = socketTypes[(text(node, 'socketType') ?? '').toLowerCase()];
  return host && port && security ? { host, port, security } : undefined;
}

/**
 * Reads the IMAP and SMTP servers out of a Thunderbird clientConfig (config-v1.1.xml). The first usable
 * server of each type wins, as in Thunderbird. Undefined when the document offers neither.
 */
export function parseClientConfig(xml: string, email: ParsedEmail): ClientConfig | undefined {
  const root = parseXml(xml);
  let imap: ServerSetting | undefined;
  let smtp: ServerSetting | undefined;
  let username: string | undefined;
  for (const config of children(root, 'clientConfig')) {
    for (const provider of children(config, 'emailProvider')) {
      for (const incoming of children(provider, 'incomingServer')) {
        if (imap || (incoming['@_type'] as string | undefined)?.toLowerCase() !== 'imap') continue;
        imap = server(incoming, email);
        if (imap) username = text(incoming, 'username');
      }
      for (const outgoing of children(provider, 'outgoingServer')) {
        if (smtp || (outgoing['@_type'] as string | undefined)?.toLowerCase() !== 'smtp') continue;
        smtp = server(outgoing, email);
        if (smtp && !username) username = text(outgoing, 'username');
      }
    }
  }
  if (!imap && !smtp) return undefined;
  const filled = username ? fill(username, email) : '';
  // An unknown placeholder (%REALNAME%...) or an empty one is no username: fall back to the address.
  const clean = filled && !/%[A-Z]+%/.test(filled) && filled.length <= 256 ? filled : email.address;
  return { imap, smtp, username: clean };
}
