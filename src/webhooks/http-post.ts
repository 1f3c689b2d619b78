import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { assertHostAllowed, checkedLookup, HostNotAllowedError, type HostPolicy } from '../mailboxes/host-policy.ts';

/** How one POST ended: the receiver's status, or why there was none. */
export interface PostOutcome {
  status: number | null;
  /** For people (the delivery log); never holds the secret or the body. */
  error: string | null;
  /** The address may not be reached under the host policy: retrying cannot help until the operator allows it. */
  refused: boolean;
}

export interface PostOptions {
  policy: HostPolicy;
  timeoutMs: number;
  /** Tests: the name look-up behind the checked one. */
  lookup?: LookupFunction;
}

/**
 * POSTs `body` to `url` once. The address is checked when the socket connects (the checked look-up hands
 * the socket only the addresses it checked), so a name that resolves elsewhere after the URL was saved
 * (DNS rebinding) cannot reach a refused address. Redirects are not followed: a 3xx is an answer like
 * any other non-2xx. The receiver's body is drained and dropped.
 */
export async function postOnce(url: string, headers: Record<string, string>, body: string, opts: PostOptions): Promise<PostOutcome> {
  const target = new URL(url);
  const lookup = checkedLookup(opts.policy, opts.lookup);
  try {
    await assertHostAllowed(target.hostname, lookup);
  } catch (err) {
    return failure(err);
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        lookup,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: opts.timeoutMs,
        signal: AbortSignal.timeout(opts.timeoutMs),
      },
      (res) => {
        res.resume();
        res.on('error', () => undefined);
        const status = res.statusCode ?? 0;
        const redirect = status >= 300 && status < 400 ? ` (redirect to ${res.headers.location ?? '?'} not followed)` : '';
        resolve({ status, error: status >= 200 && status < 300 ? null : `HTTP ${status}${redirect}`, refused: false });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => resolve(failure(err)));
    req.end(body);
  });
}

function failure(err: unknown): PostOutcome {
  if (err instanceof HostNotAllowedError) {
    return { status: null, error: `${err.host} is a ${err.why} address, which webhooks may not reach here`, refused: true };
  }
  const e = err as NodeJS.ErrnoException;
  const message = e.name === 'AbortError' || e.name === 'TimeoutError' ? 'no answer in time' : e.message;
  return { status: null, error: e.code ? `${e.code}: ${message}` : message, refused: false };
}
