import type { ServerInput } from './connection-test.ts';
import { MailboxError } from './errors.ts';
import type { MailboxRow, MailProtocol } from './tables.ts';

/** Microsoft Graph's versioned base URL; TIDINGS_GRAPH_URL points tests at the harness. */
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com/v1.0';

/** The HTTPS server behind a Graph or EWS URL, stored in the imap_* columns so host policy and pinning apply alike. */
export function serverOfUrl(url: string): ServerInput {
  const parsed = new URL(url);
  const tls = parsed.protocol === 'https:';
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(),
    port: parsed.port ? Number(parsed.port) : tls ? 443 : 80,
    security: tls ? 'tls' : 'plain',
  };
}

interface ConnectionFields {
  protocol: MailProtocol;
  imap?: unknown;
  smtp?: unknown;
  ews?: unknown;
  authKind?: string;
  password?: string;
  signinId?: string;
  trustedCertificates?: { smtp?: string | null };
  sendTestMessage?: boolean;
}

function notUsed(protocol: MailProtocol, field: string): MailboxError {
  const name = { imap: 'IMAP', graph: 'Microsoft Graph', ews: 'EWS' }[protocol];
  return new MailboxError('protocol_field_not_used', `${name} mailboxes do not use "${field}": leave it out.`, {
    details: { protocol, field },
  });
}

/** Settings a protocol has no use for: sent anyway, they mean the caller thinks of another protocol. */
const UNUSED_FIELDS: Record<MailProtocol, readonly (keyof ConnectionFields)[]> = {
  imap: ['ews'],
  // Sending over Graph and EWS comes later: no SMTP, no test message.
  graph: ['imap', 'smtp', 'ews', 'password'],
  ews: ['imap', 'smtp'],
};

function assertNoUnusedFields(protocol: MailProtocol, input: ConnectionFields): void {
  for (const field of UNUSED_FIELDS[protocol]) if (input[field] !== undefined && input[field] !== null) throw notUsed(protocol, field);
  if (protocol !== 'imap') {
    if (input.sendTestMessage) throw notUsed(protocol, 'sendTestMessage');
    if (input.trustedCertificates?.smtp) throw notUsed(protocol, 'trustedCertificates.smtp');
  }
}

function graphNeedsSignin(): MailboxError {
  return new MailboxError(
    'graph_signin_required',
    'A Microsoft Graph mailbox signs in with Microsoft: send authKind "oauth2" and the signinId of a sign-in started with access "graph".',
  );
}

function ewsRefusesOAuth(): MailboxError {
  return new MailboxError(
    'ews_oauth_not_supported',
    'An Exchange Server (EWS) mailbox signs in with its user name and password; for Microsoft 365 choose protocol "graph".',
  );
}

/**
 * The combinations of a test or a bind that cannot work, each with its own code (before anything
 * connects): Graph without a sign-in, EWS with OAuth, IMAP without its server, settings of another protocol.
 */
export function assertConnectionFields(input: ConnectionFields): void {
  if (input.protocol === 'graph' && (input.authKind !== 'oauth2' || !input.signinId)) throw graphNeedsSignin();
  if (input.protocol === 'ews' && (input.authKind === 'oauth2' || input.signinId !== undefined)) throw ewsRefusesOAuth();
  assertNoUnusedFields(input.protocol, input);
  if (input.protocol === 'imap' && input.imap === undefined)
    throw new MailboxError('imap_server_required', 'An IMAP mailbox needs its IMAP server (imap: host, port, security).');
}

/** The same rules for a change to a bound mailbox, whose protocol stays what it was bound with. */
export function assertUpdateFields(row: MailboxRow, input: Omit<ConnectionFields, 'protocol'>): void {
  assertNoUnusedFields(row.protocol, { ...input, protocol: row.protocol });
  if (row.protocol === 'graph' && input.authKind !== undefined && input.authKind !== 'oauth2') throw graphNeedsSignin();
  if (row.protocol === 'ews' && (input.authKind === 'oauth2' || input.signinId !== undefined)) throw ewsRefusesOAuth();
}

/** A forced save of an EWS mailbox whose test never found its endpoint has nowhere to connect to. */
export function ewsUrlUnknown(): MailboxError {
  return new MailboxError(
    'ews_url_unknown',
    'Autodiscover did not find the EWS address, so there is nothing to save: type the EWS address (https://mail.<domain>/EWS/Exchange.asmx).',
  );
}
