// Microsoft Graph connector (Microsoft 365, Exchange Online). Contract only: built on the branch "graph".
import type { ConnectorError, MailConnector } from '../types.ts';

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
}

export function createGraphConnector(_opts: GraphConnectorOptions): MailConnector {
  throw new Error('The Graph connector is not built yet.');
}
