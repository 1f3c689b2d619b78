import type { ConnectorErrorCode } from './types.ts';

/** Node's and OpenSSL's names for a certificate or handshake failure. */
export const TLS_ERROR_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_|HOSTNAME_MISMATCH|EPROTO$)/;

/** The host could not be reached at all. */
export const CONNECT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const LOST_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The code of a Node or undici failure; undici wraps socket and TLS errors, so the cause's code wins. */
export function networkCodeOf(err: unknown): string {
  const codes: string[] = [];
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause as typeof e) if (typeof e.code === 'string') codes.push(e.code);
  return codes.find((c) => !c.startsWith('UND_ERR_')) ?? codes[0] ?? '';
}

/** What a request over HTTP (undici) that got no answer failed at; null when the code says nothing. */
export function httpTransportCode(
  code: string,
): Extract<ConnectorErrorCode, 'tls_failed' | 'connect_failed' | 'timeout' | 'connection_lost'> | null {
  if (TLS_ERROR_CODE.test(code)) return 'tls_failed';
  if (CONNECT_ERROR_CODES.has(code)) return 'connect_failed';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (LOST_CODES.has(code)) return 'connection_lost';
  return null;
}
