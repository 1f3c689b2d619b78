import { networkCodeOf } from '../connectors/network-errors.ts';
import { ConnectorError } from '../connectors/types.ts';
import { classifyReply, type FailureCode } from '../mailboxes/probe/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import { SyncSetupError } from './connector-factory.ts';
import { SyncHostNotAllowedError } from './mail-host-check.ts';

/** A sync failure as stored and shown: a code of the one catalogue (src/mailboxes/probe) and what fills its words. */
export interface SyncFailure {
  code: FailureCode;
  params: Record<string, string | number>;
}

/**
 * Failures that do not mend by waiting: after a few in a row the mailbox needs its owner (retrying a
 * refused password only locks the account; a changed certificate may be an interception).
 */
export const PERSISTENT_FAILURES: ReadonlySet<FailureCode> = new Set<FailureCode>([
  'auth_failed',
  'auth_method_unsupported',
  'imap_disabled_by_provider',
  'certificate_changed',
  'tls_hostname_mismatch',
  'tls_certificate_expired',
  'over_quota',
]);

const QUOTA_TEXT = /OVERQUOTA|over ?quota|quota (exceeded|full)|mailbox (is )?full|空间已满|超出配额/i;

function tlsCode(err: ConnectorError, mailbox: MailboxRow): FailureCode {
  const code = networkCodeOf(err.cause);
  if (/EXPIRED|NOT_YET_VALID/.test(code)) return 'tls_certificate_expired';
  if (/ALTNAME|HOSTNAME/.test(code)) return 'tls_hostname_mismatch';
  // It passed the connection test when bound (or was pinned since): a certificate not trusted now changed.
  if (/CERT|SELF_SIGNED|UNABLE_TO_/.test(code) || mailbox.imap_pinned_cert) return 'certificate_changed';
  return 'tls_handshake_failed';
}

function connectCode(err: ConnectorError): FailureCode {
  const code = networkCodeOf(err.cause);
  if (code === 'ENOTFOUND') return 'dns_not_found';
  if (code === 'ECONNREFUSED') return 'connect_refused';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'connect_timeout';
  return 'connect_failed';
}

function connectorCode(err: ConnectorError, mailbox: MailboxRow, reply: string): FailureCode {
  switch (err.code) {
    case 'auth_failed':
      return classifyReply(reply, 'auth_failed');
    case 'tls_failed':
      return tlsCode(err, mailbox);
    case 'connect_failed':
      return connectCode(err);
    case 'timeout':
      return 'connect_timeout';
    case 'rate_limited':
      return 'rate_limited';
    case 'folder_not_found':
      return 'folder_not_found';
    case 'protocol_error':
      return 'protocol_error';
    case 'connection_lost':
      return 'connection_lost';
    case 'server_error':
      return QUOTA_TEXT.test(reply || err.message) ? 'over_quota' : 'server_error';
  }
}

/**
 * The catalogue code of anything a sync round throws, with the parameters its explanation names (server,
 * port, the server's reply, the certificate that changed). Never a secret: replies come from the
 * connectors, which build them from server text only.
 */
export function syncFailureOf(err: unknown, mailbox: MailboxRow, folderName?: string): SyncFailure {
  const params: Record<string, string | number> = {
    protocol: mailbox.protocol === 'imap' ? 'imap' : mailbox.protocol,
    host: mailbox.imap_host,
    port: mailbox.imap_port,
    ...(folderName ? { folder: folderName } : {}),
  };
  if (err instanceof SyncSetupError) return { code: err.code, params };
  if (err instanceof SyncHostNotAllowedError) return { code: 'host_not_allowed', params };
  if (err instanceof ConnectorError) {
    const reply = (err.extra.serverResponse ?? '').slice(0, 300);
    const code = connectorCode(err, mailbox, reply);
    if (reply) params.reply = reply;
    if (code === 'tls_handshake_failed') params.why = networkCodeOf(err.cause) || 'TLS';
    return { code, params };
  }
  if ((err as { code?: unknown })?.code === 'incomplete_fetch') return { code: 'incomplete_fetch', params };
  if ((err as { code?: unknown })?.code === 'blob_store_unavailable') return { code: 'blob_store_unavailable', params };
  return { code: 'sync_failed', params };
}
