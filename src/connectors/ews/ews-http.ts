import type { EwsConnectorOptions } from './index.ts';
import type { LookupFunction } from 'node:net';
import { Client, type Dispatcher } from 'undici';
import { httpTransportCode, networkCodeOf } from '../network-errors.ts';
import { tlsOptionsFor } from '../tls-policy.ts';
import { ConnectorError } from '../types.ts';
import { answerChallenge, negotiateMessage, NtlmError } from './ntlm.ts';

/**
 * HTTP to one EWS endpoint over one kept-alive connection, signed in with NTLM (connection-bound: the
 * handshake's three legs and every later request share the socket) or Basic (per request). TLS is
 * verified as tls-policy.ts decides, pinning included. Kerberos is not offered.
 */
export interface EwsHttpOptions
  extends Pick<EwsConnectorOptions, 'url' | 'username' | 'password' | 'pinnedCertPem' | 'extraCaPems' | 'allowPlaintext'> {
  /** Answers over this many bytes are refused (protocol_error) and the connection dropped. */
  maxResponseBytes?: number;
  timeoutMs?: number;
  /** Resolves the host (the connection test passes one that refuses addresses its policy forbids). */
  lookup?: LookupFunction;
}

export interface EwsHttpAnswer {
  status: number;
  body: string;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 96 * 1024 * 1024;

type Scheme = 'ntlm' | 'negotiate' | 'basic';

/** The schemes a 401 offers that we can use, best first (NTLM inside Negotiate is what IIS accepts). */
export function offeredSchemes(header: string | string[] | undefined): Scheme[] {
  const values = (Array.isArray(header) ? header : header ? [header] : []).flatMap((h) => h.split(/,\s*(?=[A-Za-z]+(?:\s|$))/));
  const names = values.map((v) => v.trim().split(/\s+/)[0]!.toLowerCase());
  return (['ntlm', 'negotiate', 'basic'] as const).filter((s) => names.includes(s));
}

function challengeIn(header: string | string[] | undefined, scheme: Scheme): Buffer | null {
  for (const h of Array.isArray(header) ? header : header ? [header] : []) {
    const m = /^(\S+)\s+([A-Za-z0-9+/=]+)$/.exec(h.trim());
    if (m && m[1]!.toLowerCase() === scheme) return Buffer.from(m[2]!, 'base64');
  }
  return null;
}

/** serverResponse of a refusal that is about the sign-in method, not the password. */
const NTLM_REFUSED = { serverResponse: 'ntlm_refused' };

/** Network and TLS failures as connector codes, the original kept as cause. */
export function transportError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const kind = httpTransportCode(networkCodeOf(err)) ?? 'connection_lost';
  return new ConnectorError(kind, kind === 'tls_failed' ? `TLS: ${message}` : message, {}, { cause: err });
}

export class EwsHttp {
  readonly url: URL;
  private readonly client: Client;
  private scheme: Scheme | null = null;
  private signedIn = false;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly maxBytes: number;

  constructor(private readonly opts: EwsHttpOptions) {
    try {
      this.url = new URL(opts.url);
    } catch (cause) {
      throw new ConnectorError('connect_failed', 'The EWS address is not a URL.', {}, { cause });
    }
    if (this.url.protocol !== 'https:' && !(this.url.protocol === 'http:' && opts.allowPlaintext)) {
      throw new ConnectorError('tls_failed', 'EWS over plain http:// is refused unless plaintext is allowed for this mailbox.');
    }
    this.maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const timeout = opts.timeoutMs ?? 60_000;
    this.client = new Client(this.url.origin, {
      connect:
        this.url.protocol === 'https:'
          ? tlsOptionsFor(this.url.hostname, { pinnedCertPem: opts.pinnedCertPem, extraCaPems: opts.extraCaPems })
          : {},
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    // NTLM signs in the connection: a new one needs the handshake again.
    this.client.on('disconnect', () => {
      this.signedIn = false;
    });
  }

  /** POSTs a SOAP body; requests take turns so the NTLM handshake never interleaves. */
  post(body: string, extraHeaders: Record<string, string> = {}): Promise<EwsHttpAnswer> {
    const run = this.tail.then(() => this.postSignedIn(body, extraHeaders));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async postSignedIn(body: string, extraHeaders: Record<string, string>): Promise<EwsHttpAnswer> {
    if (this.scheme === 'basic') return this.send(body, { ...extraHeaders, authorization: this.basic() });
    if (this.scheme && !this.signedIn) return this.handshake(body, extraHeaders);
    const first = await this.send(body, extraHeaders);
    if (first.status !== 401) return first;
    this.signedIn = false;
    const offered = offeredSchemes(first.headers['www-authenticate']);
    this.scheme = offered[0] ?? null;
    if (!this.scheme)
      throw new ConnectorError('auth_failed', 'The server offers neither NTLM nor Basic sign-in (Kerberos only?).', NTLM_REFUSED);
    if (this.scheme === 'basic') {
      const answer = await this.send(body, { ...extraHeaders, authorization: this.basic() });
      if (answer.status === 401) throw new ConnectorError('auth_failed', 'The server refused the user name or password (HTTP 401).');
      return answer;
    }
    return this.handshake(body, extraHeaders);
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64')}`;
  }

  private async handshake(body: string, extraHeaders: Record<string, string>): Promise<EwsHttpAnswer> {
    const label = this.scheme === 'negotiate' ? 'Negotiate' : 'NTLM';
    const leg1 = await this.send('', { authorization: `${label} ${negotiateMessage().toString('base64')}` });
    const challenge = leg1.status === 401 ? challengeIn(leg1.headers['www-authenticate'], this.scheme!) : null;
    if (!challenge)
      throw new ConnectorError('auth_failed', `The server did not answer the NTLM negotiation (HTTP ${leg1.status}).`, NTLM_REFUSED);
    const authenticate = this.authenticateFor(challenge);
    const answer = await this.send(body, { ...extraHeaders, authorization: `${label} ${authenticate.toString('base64')}` });
    if (answer.status === 401) throw new ConnectorError('auth_failed', 'The server refused the user name or password (HTTP 401).');
    this.signedIn = true;
    return answer;
  }

  private async send(
    body: string,
    headers: Record<string, string>,
  ): Promise<EwsHttpAnswer & { headers: Record<string, string | string[] | undefined> }> {
    let res: Dispatcher.ResponseData;
    try {
      res = await this.client.request({
        method: 'POST',
        path: this.url.pathname + this.url.search,
        headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml', ...headers },
        body,
      });
    } catch (err) {
      throw transportError(err);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBytes) {
          res.body.destroy();
          throw new ConnectorError('protocol_error', `The server's answer is larger than ${this.maxBytes} bytes.`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      throw transportError(err);
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
  }

  /**
   * A long-lived answer (GetStreamingEvents) on a connection of its own, signed in with the request
   * itself as the handshake's last leg; each chunk goes to `onData` until the server ends it or `close`.
   */
  async stream(body: string, onData: (chunk: string) => void): Promise<{ status: number; done: Promise<void>; close: () => void }> {
    const own = new EwsHttp(this.opts);
    try {
      const authorization = await own.authorizationForOneRequest();
      const abort = new AbortController();
      let res: Dispatcher.ResponseData;
      try {
        res = await own.client.request({
          method: 'POST',
          path: own.url.pathname + own.url.search,
          headers: { 'content-type': 'text/xml; charset=utf-8', ...(authorization ? { authorization } : {}) },
          body,
          signal: abort.signal,
          bodyTimeout: 0,
        });
      } catch (err) {
        throw transportError(err);
      }
      if (res.statusCode === 401) {
        await res.body.dump();
        throw new ConnectorError('auth_failed', 'The server refused the user name or password (HTTP 401).');
      }
      const done = (async () => {
        try {
          res.body.setEncoding('utf8');
          for await (const chunk of res.body) onData(chunk as string);
        } catch (err) {
          if (!abort.signal.aborted) throw transportError(err);
        } finally {
          await own.close();
        }
      })();
      return { status: res.statusCode, done, close: () => abort.abort() };
    } catch (err) {
      await own.close();
      throw err;
    }
  }

  /** The Authorization header for the next request on this connection: Basic, or NTLM's third leg. */
  private async authorizationForOneRequest(): Promise<string | null> {
    const probe = await this.send('', {});
    if (probe.status !== 401) return null;
    const scheme = offeredSchemes(probe.headers['www-authenticate'])[0];
    if (!scheme)
      throw new ConnectorError('auth_failed', 'The server offers neither NTLM nor Basic sign-in (Kerberos only?).', NTLM_REFUSED);
    if (scheme === 'basic') return this.basic();
    const label = scheme === 'negotiate' ? 'Negotiate' : 'NTLM';
    const leg1 = await this.send('', { authorization: `${label} ${negotiateMessage().toString('base64')}` });
    const challenge = leg1.status === 401 ? challengeIn(leg1.headers['www-authenticate'], scheme) : null;
    if (!challenge)
      throw new ConnectorError('auth_failed', `The server did not answer the NTLM negotiation (HTTP ${leg1.status}).`, NTLM_REFUSED);
    return `${label} ${this.authenticateFor(challenge).toString('base64')}`;
  }

  private authenticateFor(challenge: Buffer): Buffer {
    try {
      return answerChallenge(challenge, { username: this.opts.username, password: this.opts.password });
    } catch (cause) {
      if (cause instanceof NtlmError) throw new ConnectorError('protocol_error', `NTLM: ${cause.message}`, {}, { cause });
      throw cause;
    }
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => this.client.destroy());
  }
}
