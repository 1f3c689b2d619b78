import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../types.ts';
import { DEFAULT_RETRY_AFTER_MS, toConnectorError } from './imap-errors.ts';
import { parseCursor } from './folder-changes.ts';

function err(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('Command failed'), fields);
}

describe('toConnectorError', () => {
  it.each([
    [{ authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' }, 'auth_failed'],
    [{ code: 'ECONNREFUSED' }, 'connect_failed'],
    [{ code: 'ENOTFOUND' }, 'connect_failed'],
    [{ code: 'GREETING_TIMEOUT' }, 'timeout'],
    [{ code: 'ETIMEOUT' }, 'timeout'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'tls_failed'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls_failed'],
    [{ code: 'NoConnection' }, 'connection_lost'],
    [{ code: 'EConnectionClosed' }, 'connection_lost'],
    [{ responseStatus: 'NO', serverResponseCode: 'NONEXISTENT', responseText: 'Mailbox does not exist' }, 'folder_not_found'],
    [{ mailboxMissing: true, responseStatus: 'NO' }, 'folder_not_found'],
    [{ code: 'NotFound' }, 'folder_not_found'],
    [{ responseStatus: 'NO', responseText: 'Quota exceeded' }, 'server_error'],
    [{ code: 'ParserError11' }, 'protocol_error'],
  ])('%j -> %s', (fields, code) => {
    expect(toConnectorError(err(fields), 'X').code).toBe(code);
  });

  it('maps server throttling to rate_limited with a back-off', () => {
    const limit = toConnectorError(
      err({ responseStatus: 'NO', serverResponseCode: 'LIMIT', responseText: 'Too many connections' }),
      'LOGIN',
    );
    expect(limit).toMatchObject({
      code: 'rate_limited',
      extra: { retryAfterMs: DEFAULT_RETRY_AFTER_MS, serverResponse: 'Too many connections' },
    });
    const text = toConnectorError(err({ responseStatus: 'NO', responseText: 'Too many simultaneous connections from your IP' }), 'LOGIN');
    expect(text.code).toBe('rate_limited');
    expect(toConnectorError(err({ code: 'ETHROTTLE', throttleReset: 5_000 }), 'FETCH').extra.retryAfterMs).toBe(5_000);
    expect(toConnectorError(err({ responseStatus: 'NO', serverResponseCode: 'UNAVAILABLE' }), 'LOGIN').code).toBe('rate_limited');
  });

  it('a closed socket while connecting is connect_failed; errors keep their cause and pass through once mapped', () => {
    const reset = err({ code: 'ECONNRESET' });
    const mapped = toConnectorError(reset, 'connect', 'connect');
    expect(mapped.code).toBe('connect_failed');
    expect(mapped.cause).toBe(reset);
    expect(toConnectorError(mapped, 'again')).toBe(mapped);
    expect(toConnectorError('weird', 'X')).toBeInstanceOf(ConnectorError);
  });
});

describe('parseCursor', () => {
  it('accepts the cursor it writes and refuses anything else', () => {
    const cursor = { uidValidity: '1700000000', uidNext: '12', highestModseq: '18446744073709551615', total: 3 };
    expect(parseCursor(cursor)).toEqual(cursor);
    expect(parseCursor({ ...cursor, highestModseq: null })).toMatchObject({ highestModseq: null });
    expect(parseCursor(null)).toBeNull();
    expect(parseCursor({ uidValidity: 5, uidNext: '1' })).toBeNull();
    expect(parseCursor({ uidValidity: '5', uidNext: '1', highestModseq: 7 })).toBeNull();
    expect(parseCursor({ uidValidity: '5', uidNext: '1' })).toEqual({ uidValidity: '5', uidNext: '1', highestModseq: null, total: -1 });
  });
});
