import { escapeXml } from '../../kernel/xml.ts';
import type { Security, ServerSetting } from '../catalogue/index.ts';
import type { ParsedEmail } from './email.ts';
import { children, cleanHost, cleanPort, parseXml, text, type XmlNode } from './xml.ts';

/** Both POX endpoints, in the order Outlook tries them. */
export function autodiscoverUrls(email: ParsedEmail): string[] {
  return [`https://autodiscover.${email.domain}/autodiscover/autodiscover.xml`, `https://${email.domain}/autodiscover/autodiscover.xml`];
}

/** The POX Autodiscover request body (Outlook request schema 2006, response schema 2006a). */
export function poxRequest(email: ParsedEmail): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">',
    '  <Request>',
    `    <EMailAddress>${escapeXml(email.address)}</EMailAddress>`,
    '    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>',
    '  </Request>',
    '</Autodiscover>',
  ].join('\n');
}

export interface PoxSettings {
  ews?: { url: string };
  imap?: ServerSetting;
  smtp?: ServerSetting;
  loginName?: string;
  /** Action redirectUrl: ask this HTTPS endpoint instead. */
  redirectUrl?: string;
  /** Action redirectAddr: ask again for this address. */
  redirectAddr?: string;
  /** Error/Message from the server, for the `tried` detail. */
  error?: string;
}

function httpsUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

function security(protocol: XmlNode, port: number): Security {
  const encryption = text(protocol, 'Encryption')?.toLowerCase();
  if (encryption === 'ssl') return 'tls';
  if (encryption === 'tls') return 'starttls';
  if (encryption === 'none') return 'plain';
  if (!encryption && text(protocol, 'SSL')?.toLowerCase() === 'off') return 'plain';
  // SSL=on (or Encryption=Auto) says "encrypted" without saying how; the port does.
  return port === 993 || port === 465 ? 'tls' : 'starttls';
}

function mailServer(protocol: XmlNode): ServerSetting | undefined {
  const host = cleanHost(text(protocol, 'Server'));
  const port = cleanPort(text(protocol, 'Port'));
  return host && port ? { host, port, security: security(protocol, port) } : undefined;
}

/** Reads a POX Autodiscover response; EXPR (external) EWS URL preferred over EXCH (internal). */
export function parsePoxResponse(xml: string): PoxSettings {
  const root = parseXml(xml);
  const out: PoxSettings = {};
  for (const ad of children(root, 'Autodiscover')) {
    for (const response of children(ad, 'Response')) {
      for (const error of children(response, 'Error')) out.error ??= text(error, 'Message') ?? 'error';
      for (const account of children(response, 'Account')) {
        const action = text(account, 'Action')?.toLowerCase();
        if (action === 'redirecturl') out.redirectUrl ??= httpsUrl(text(account, 'RedirectUrl'));
        if (action === 'redirectaddr') out.redirectAddr ??= text(account, 'RedirectAddr');
        const ews: Record<string, string | undefined> = {};
        for (const protocol of children(account, 'Protocol')) {
          const type = text(protocol, 'Type')?.toUpperCase();
          if (type === 'EXPR' || type === 'EXCH') ews[type] ??= httpsUrl(text(protocol, 'EwsUrl'));
          if (type === 'IMAP') out.imap ??= mailServer(protocol);
          if (type === 'SMTP') out.smtp ??= mailServer(protocol);
          if (type === 'IMAP' || type === 'EXCH' || type === 'EXPR') out.loginName ??= text(protocol, 'LoginName') || undefined;
        }
        const url = ews.EXPR ?? ews.EXCH;
        if (url && !out.ews) out.ews = { url };
      }
    }
  }
  return out;
}
