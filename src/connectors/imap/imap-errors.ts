import { CONNECT_ERROR_CODES, TLS_ERROR_CODE } from '../network-errors.ts';
import { ConnectorError, type ConnectorErrorCode } from '../types.ts';

/** What imapflow (or Node's socket/TLS layer) puts on the errors it raises; every field optional. */
interface ImapFlowLikeError {
  code?: string;
  message?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  serverResponseCode?: string;
  responseStatus?: string;
  responseText?: string;
  response?: unknown;
  throttleReset?: number;
  mailboxMissing?: boolean;
  reason?: string;
}

const CONNECT_CODES: ReadonlySet<string> = new Set([...CONNECT_ERROR_CODES, 'ProxyError', 'EPROXY']);
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'ETIMEDOUT', 'LockTimeout']);
const LOST_CODES = new Set([
  'NoConnection',
  'EConnectionClosed',
  'ECONNRESET',
  'EPIPE',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'StateLogout',
]);
const PROTOCOL_CODES =
  /^(ParserError|InvalidResponse|UnexpectedTag|MissingTag|ResponseProcessingFailed|LineTooLarge|LiteralTooLarge|ResponseTooLarge|TooManyTokens|TooManyResponses|MAX_IMAP_NESTING_REACHED|COMPRESS_TRAILING_DATA|STARTTLS_INJECTION)/;
const RATE_LIMIT_TEXT = /too many (connections|simultaneous|logins|login attempts|requests)|rate limit|try again later/i;

/** Default back-off when a server says "slow down" without saying for how long. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

function responseTextOf(e: ImapFlowLikeError): string {
  if (typeof e.responseText === 'string') return e.responseText;
  if (typeof e.response === 'string') return e.response;
  return '';
}

function classify(e: ImapFlowLikeError, during: 'connect' | 'command'): ConnectorErrorCode {
  const code = e.code ?? '';
  const responseCode = (e.serverResponseCode ?? '').toUpperCase();
  const text = `${responseTextOf(e)} ${e.reason ?? ''}`;
  if (e.authenticationFailed || responseCode === 'AUTHENTICATIONFAILED' || responseCode === 'AUTHORIZATIONFAILED') return 'auth_failed';
  if (e.tlsFailed || TLS_ERROR_CODE.test(code)) return 'tls_failed';
  if (code === 'ETHROTTLE' || responseCode === 'LIMIT' || responseCode === 'UNAVAILABLE' || RATE_LIMIT_TEXT.test(text))
    return 'rate_limited';
  if (e.mailboxMissing || responseCode === 'NONEXISTENT' || code === 'NotFound') return 'folder_not_found';
  if (CONNECT_CODES.has(code)) return 'connect_failed';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (LOST_CODES.has(code)) return during === 'connect' && code !== 'NoConnection' ? 'connect_failed' : 'connection_lost';
  if (PROTOCOL_CODES.test(code)) return 'protocol_error';
  if (e.responseStatus === 'NO' || e.responseStatus === 'BAD') return 'server_error';
  if (during === 'connect') return 'connect_failed';
  return 'server_error';
}

/**
 * Maps anything imapflow throws or emits to a ConnectorError with a stable code. The message names the
 * operation and what the server said; it never contains credentials (imapflow does not echo them, and
 * we build the text only from the response text and error code).
 */
export function toConnectorError(err: unknown, operation: string, during: 'connect' | 'command' = 'command'): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e: ImapFlowLikeError = err && typeof err === 'object' ? (err as ImapFlowLikeError) : { message: String(err) };
  const code = classify(e, during);
  const serverResponse = responseTextOf(e) || undefined;
  const detail = serverResponse ?? e.reason ?? e.code ?? e.message ?? 'unknown error';
  const extra: { retryAfterMs?: number; serverResponse?: string } = {};
  if (serverResponse) extra.serverResponse = serverResponse;
  if (code === 'rate_limited') extra.retryAfterMs = e.throttleReset && e.throttleReset > 0 ? e.throttleReset : DEFAULT_RETRY_AFTER_MS;
  return new ConnectorError(code, `IMAP ${operation} failed (${code}): ${detail}`, extra, { cause: err });
}

/** imapflow reports some command failures by returning false; this turns them into errors. */
export function failedCommand(operation: string, what: string): ConnectorError {
  return new ConnectorError('server_error', `IMAP ${operation} failed: the server refused ${what}`);
}
