// Microsoft Graph connector (Microsoft 365, Exchange Online).
import type { ConnectorError, MailConnector } from '../types.ts';
import { GraphConnector } from './graph-connector.ts';

export interface GraphConnectorOptions {
  /** Graph's versioned base URL: https://graph.microsoft.com/v1.0 (tests: the harness server's). */
  baseUrl: string;
  /** Whose mailbox: 'me' with a user's sign-in; the user's id or address with an app-only token. */
  user: string;
  /** A fresh access token for each request that needs one (the sign-in's token source). */
  getAccessToken: () => Promise<string>;
  /** Graph refused the token (401): the caller gets a new one before the next try. */
  onAuthFailure?: (err: ConnectorError) => void;
  /** PEM of the certificate pinned for the server, or null; extra CAs tests trust. */
  pinnedCertPem: string | null;
  extraCaPems: string[];
  /** How often watch() asks for a delta when Graph cannot notify us; default 2000 ms. */
  pollIntervalMs?: number;
  /** Sources over this many bytes are stored as headers only (as IMAP's maxMessageBytes). */
  maxMessageBytes?: number;
  /** A Retry-After up to this long is waited for inside a request; longer goes to the engine's backoff. */
  maxInlineWaitMs?: number;
}

export function createGraphConnector(opts: GraphConnectorOptions): MailConnector {
  return new GraphConnector(opts);
}

export { GraphConnector } from './graph-connector.ts';
export { GraphClient } from './graph-client.ts';
export { assignGraphRoles, WELL_KNOWN_ROLES } from './graph-folders.ts';
export { parseDeltaPage, refOfMessage } from './graph-delta.ts';
export { graphErrorOf, retryAfterMs } from './graph-errors.ts';
