// Microsoft Graph connector (Microsoft 365, Exchange Online).
import type { MailConnector } from '../types.ts';
import type { GraphClientOptions } from './graph-client.ts';
import { GraphConnector } from './graph-connector.ts';

/** The Graph client's options (base URL, token, trust, waits) and what the connector adds. */
export interface GraphConnectorOptions extends GraphClientOptions {
  /** Whose mailbox: 'me' with a user's sign-in; the user's id or address with an app-only token. */
  user: string;
  /** How often watch() asks for a delta when Graph cannot notify us; default 2000 ms. */
  pollIntervalMs?: number;
  /** Sources over this many bytes are stored as headers only (as IMAP's maxMessageBytes). */
  maxMessageBytes?: number;
}

export function createGraphConnector(opts: GraphConnectorOptions): MailConnector {
  return new GraphConnector(opts);
}

export { GraphConnector } from './graph-connector.ts';
export { GraphClient } from './graph-client.ts';
export { assignGraphRoles, WELL_KNOWN_ROLES } from './graph-folders.ts';
export { parseDeltaPage, refOfMessage } from './graph-delta.ts';
export { graphErrorOf, retryAfterMs } from './graph-errors.ts';
