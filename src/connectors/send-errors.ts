import { SendError } from '../outbox/errors.ts';
import { tokenErrorCode } from '../sync/access-token-source.ts';
import { ConnectorError } from './types.ts';

/** Token failures only a new sign-in (or the server's setup) mends. */
const TOKEN_NEEDS_ACTION = new Set(['oauth_revoked', 'no_token_source']);

/**
 * A failure of Graph's or EWS's transport or sign-in as a SendError. Answers the server gave about the
 * message itself are judged by each sender before this; what reaches here is about getting there.
 * Messages are the connector's own (never a token or password).
 */
export function sendErrorOf(err: unknown, service: string): SendError {
  if (err instanceof SendError) return err;
  if (!(err instanceof ConnectorError)) {
    const code = tokenErrorCode(err);
    if (code && TOKEN_NEEDS_ACTION.has(code)) {
      return new SendError('send_auth_failed', `${service}: no access token (${code}): sign in to the mailbox again.`, {
        temporary: false,
        cause: err,
      });
    }
    return new SendError('send_temporary', `${service}: ${code ?? 'the attempt failed'}`, { temporary: true, cause: err });
  }
  const serverResponse = err.extra.serverResponse ?? null;
  const opts = { serverResponse, retryAfterMs: err.extra.retryAfterMs ?? null, cause: err };
  switch (err.code) {
    case 'auth_failed':
      return new SendError('send_auth_failed', err.message, { ...opts, temporary: false });
    case 'tls_failed':
      return new SendError('send_tls_failed', err.message, { ...opts, temporary: false });
    default:
      // connect_failed, connection_lost, timeout, rate_limited, server_error, and protocol_error (a broken
      // answer: whether the message went is unknown, so the outbox looks in Sent before it tries again).
      return new SendError('send_temporary', err.message, { ...opts, temporary: true });
  }
}
