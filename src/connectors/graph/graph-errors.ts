import { httpTransportCode, networkCodeOf } from '../network-errors.ts';
import { ConnectorError, type ConnectorErrorCode } from '../types.ts';

/** Graph's error body: `{ error: { code, message } }`; either part may be missing in a hostile answer. */
export interface GraphErrorBody {
  code: string;
  message: string;
}

export function graphErrorOf(body: unknown): GraphErrorBody {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    code: typeof e?.code === 'string' ? e.code.slice(0, 100) : '',
    message: typeof e?.message === 'string' ? e.message.slice(0, 300) : '',
  };
}

/**
 * Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110), null when absent or unreadable.
 * A date in the past means "now".
 */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its weekday and month; Date.parse alone would take "-5" for a year.
  if (!/[a-z]{3}/i.test(value)) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A transport failure (no HTTP answer) as a ConnectorError. */
export function transportError(err: unknown, operation: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const code = networkCodeOf(err);
  const kind = httpTransportCode(code) ?? 'connect_failed';
  return new ConnectorError(kind, `Graph ${operation}: ${code || (err as Error)?.message || 'request failed'}`, {}, { cause: err });
}

/** An HTTP answer Graph gave instead of what was asked, as a ConnectorError. */
export function statusError(
  status: number,
  body: GraphErrorBody,
  operation: string,
  extra: { retryAfterMs?: number } = {},
): ConnectorError {
  const said = [body.code, body.message].filter(Boolean).join(': ');
  const serverResponse = `${status}${said ? ` ${said}` : ''}`;
  let code: ConnectorErrorCode = 'server_error';
  if (status === 401 || status === 403 || body.code === 'MailboxNotEnabledForRESTAPI') code = 'auth_failed';
  else if (status === 429 || status === 503) code = 'rate_limited';
  return new ConnectorError(code, `Graph ${operation}: ${serverResponse}`, { serverResponse, ...extra });
}
