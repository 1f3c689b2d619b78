// EWS connector (Exchange Server 2016 / 2019 / Subscription Edition): SOAP over HTTPS with NTLM or Basic.
import type { MailConnector } from '../types.ts';
import { EwsConnector } from './ews-connector.ts';

export interface EwsConnectorOptions {
  /** The EWS endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx. */
  url: string;
  /** DOMAIN\user or user@domain (UPN). */
  username: string;
  password: string;
  /** PEM of the certificate pinned for the server, or null; extra CAs tests trust. */
  pinnedCertPem: string | null;
  extraCaPems: string[];
  /** http:// URLs are refused unless an admin allowed plaintext for this mailbox. */
  allowPlaintext: boolean;
  /** Sources over this many bytes are stored as headers only (as IMAP's maxMessageBytes). */
  maxMessageBytes?: number;
  /** Where streaming notifications are refused, how often a watch polls the folder's counts (default 15 s). */
  watchPollMs?: number;
}

export function createEwsConnector(opts: EwsConnectorOptions): MailConnector {
  return new EwsConnector(opts);
}

export { EwsClient } from './ews-client.ts';
export { EwsHttp } from './ews-http.ts';
export { listEwsFolders } from './ews-folders.ts';
export { errorForCode } from './soap.ts';
