import { Agent, request } from 'undici';
import { tlsOptionsFor } from '../tls-policy.ts';
import { ConnectorError, type ConnectorErrorCode } from '../types.ts';
import { graphErrorOf, retryAfterMs, statusError, transportError } from './graph-errors.ts';

export interface GraphClientOptions {
  /** Graph's versioned base URL: https://graph.microsoft.com/v1.0 (tests: the harness server's). */
  baseUrl: string;
  /** A fresh access token for each request that needs one (the sign-in's token source). */
  getAccessToken: () => Promise<string>;
  /** Graph refused the token (401): the caller gets a new one before the next try. */
  onAuthFailure?: (err: ConnectorError) => void;
  /** PEM of the certificate pinned for the server, or null; extra CAs tests trust. */
  pinnedCertPem: string | null;
  extraCaPems: string[];
  /** Exchange Online allows 4 concurrent requests per mailbox and answers more with 429. */
  maxInFlight?: number;
  timeoutMs?: number;
  /** A Retry-After up to this long is waited for here; a longer one goes to the engine's backoff. */
  maxInlineWaitMs?: number;
  /** Any JSON answer over this size is hostile (a delta page of 200 messages is well under 1 MiB). */
  maxJsonBytes?: number;
}

export interface JsonRequest {
  /** For error messages: what we were doing ("list folders", "delta of <folder>"). */
  operation: string;
  body?: unknown;
  /** A text/plain body instead of JSON (a base64 MIME source). */
  text?: string;
  /** Statuses handed back to the caller instead of thrown (e.g. 410 for an expired delta token). */
  allow?: number[];
  /** The code for a 404 (a folder that is gone: folder_not_found). */
  notFound?: ConnectorErrorCode;
  /** Prefer odata.maxpagesize: items per page of a delta round. */
  maxPageSize?: number;
  /**
   * No second try after 429, 503 or 504 (they come back as rate_limited with retryAfterMs): a request
   * that must not go twice (sendMail), whose retry belongs to the outbox after it looked in Sent Items.
   */
  once?: boolean;
}

const IMMUTABLE_IDS = 'IdType="ImmutableId"';
const MAX_RETRIES = 4;

/** A counting semaphore: callers wait in order for one of `n` slots. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(n: number) {
    this.free = n;
  }
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/**
 * HTTPS to one mailbox's Graph endpoint: a bearer token per request, immutable ids always, at most
 * `maxInFlight` requests at once (sleeps for Retry-After do not hold a slot), 429/503 retried after the
 * time Graph asks, one retry with a new token after a 401, and answers capped in size so a hostile server
 * fails a round with protocol_error instead of exhausting memory.
 */
export class GraphClient {
  readonly base: URL;
  private readonly agent: Agent;
  private readonly slots: Slots;
  private readonly timeoutMs: number;
  private readonly maxInlineWaitMs: number;
  private readonly maxJsonBytes: number;
  /** Graph throttles the app for the whole mailbox: after a 429/503 no request goes out before this time. */
  private pausedUntil = 0;

  constructor(private readonly opts: GraphClientOptions) {
    this.base = new URL(opts.baseUrl.replace(/\/+$/, ''));
    if (this.base.protocol !== 'https:') throw new ConnectorError('connect_failed', 'Graph needs an https:// address.');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxInlineWaitMs = opts.maxInlineWaitMs ?? 15_000;
    this.maxJsonBytes = opts.maxJsonBytes ?? 8 * 1024 * 1024;
    const maxInFlight = opts.maxInFlight ?? 4;
    this.slots = new Slots(maxInFlight);
    const tls = tlsOptionsFor(this.base.hostname, { pinnedCertPem: opts.pinnedCertPem, extraCaPems: opts.extraCaPems });
    this.agent = new Agent({
      connect: { ...tls, servername: tls.servername ?? undefined } as Agent.Options['connect'],
      connections: maxInFlight,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  /**
   * A path below the base (`/me/mailFolders`) or a link Graph gave (nextLink, deltaLink). A link must
   * stay on the base's origin: a hostile answer cannot send our token elsewhere.
   */
  url(pathOrLink: string): string {
    if (!/^https?:/i.test(pathOrLink)) return `${this.base.href}${pathOrLink}`;
    let link: URL;
    try {
      link = new URL(pathOrLink);
    } catch {
      throw new ConnectorError('protocol_error', 'Graph gave a link that is no URL.');
    }
    if (link.origin !== this.base.origin) throw new ConnectorError('protocol_error', `Graph gave a link to another server (${link.host}).`);
    return link.href;
  }

  /** Whether a link (a stored deltaLink, say) points at this client's server. */
  isOwnLink(link: string): boolean {
    try {
      return new URL(link).origin === this.base.origin;
    } catch {
      return false;
    }
  }

  async json<T = Record<string, unknown>>(method: string, pathOrLink: string, req: JsonRequest): Promise<{ status: number; json: T }> {
    const res = await this.send(method, this.url(pathOrLink), req.operation, {
      body: req.text ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
      contentType: req.text !== undefined ? 'text/plain' : 'application/json',
      prefer: req.maxPageSize ? `${IMMUTABLE_IDS}, odata.maxpagesize=${req.maxPageSize}` : IMMUTABLE_IDS,
      maxBytes: this.maxJsonBytes,
      truncate: false,
      once: req.once,
    });
    let json: unknown = null;
    if (res.body.length) {
      try {
        json = JSON.parse(res.body.toString('utf8'));
      } catch {
        throw new ConnectorError('protocol_error', `Graph ${req.operation}: the answer (HTTP ${res.status}) is not JSON.`);
      }
    }
    if (res.status >= 400 && !req.allow?.includes(res.status)) {
      const err = statusError(res.status, graphErrorOf(json), req.operation);
      if (res.status === 404 && req.notFound && err.code === 'server_error') {
        throw new ConnectorError(req.notFound, err.message, err.extra);
      }
      throw err;
    }
    if (res.status < 300 && res.body.length && (json === null || typeof json !== 'object')) {
      throw new ConnectorError('protocol_error', `Graph ${req.operation}: the answer is no JSON object.`);
    }
    return { status: res.status, json: (json ?? {}) as T };
  }

  /** Raw bytes ($value); over `maxBytes` the first `maxBytes` come back with `truncated`. */
  async raw(pathOrLink: string, operation: string, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
    const res = await this.send('GET', this.url(pathOrLink), operation, { prefer: IMMUTABLE_IDS, maxBytes, truncate: true });
    if (res.status >= 400) {
      let json: unknown = null;
      try {
        json = JSON.parse(res.body.toString('utf8'));
      } catch {
        // Not JSON: the status says enough.
      }
      throw statusError(res.status, graphErrorOf(json), operation);
    }
    return { body: res.body, truncated: res.truncated };
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  private async send(
    method: string,
    url: string,
    operation: string,
    o: { body?: string; contentType?: string; prefer: string; maxBytes: number; truncate: boolean; once?: boolean },
  ): Promise<{ status: number; body: Buffer; truncated: boolean }> {
    let renewedToken = false;
    for (let attempt = 0; ; attempt++) {
      while (this.pausedUntil > Date.now()) await new Promise((r) => setTimeout(r, this.pausedUntil - Date.now()));
      const release = await this.slots.acquire();
      let answer: { status: number; retryAfter: number | null; body: Buffer; truncated: boolean };
      try {
        const token = await this.opts.getAccessToken();
        const res = await request(url, {
          method: method as 'GET',
          dispatcher: this.agent,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            prefer: o.prefer,
            ...(o.body !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}),
          },
          body: o.body,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        const read = await readCapped(res.body, o.maxBytes, o.truncate || res.statusCode >= 400);
        if (read.truncated && !o.truncate && res.statusCode < 400) {
          throw new ConnectorError('protocol_error', `Graph ${operation}: the answer is larger than ${o.maxBytes} bytes.`);
        }
        answer = { status: res.statusCode, retryAfter: retryAfterMs(res.headers['retry-after']), ...read };
      } catch (err) {
        throw transportError(err, operation);
      } finally {
        release();
      }
      if (answer.status === 401) {
        const err = statusError(401, graphErrorOf(safeJson(answer.body)), operation);
        this.opts.onAuthFailure?.(err);
        // A token can expire between two requests of a long import: one more try with a new one.
        if (!renewedToken) {
          renewedToken = true;
          continue;
        }
        throw err;
      }
      if (answer.status === 429 || answer.status === 503 || answer.status === 504) {
        const wait = answer.retryAfter ?? Math.min(1000 * 2 ** attempt, 8000);
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
        if (!o.once && attempt < MAX_RETRIES && wait <= this.maxInlineWaitMs) continue;
        // A request sent once keeps its 504 (a gateway timeout: whether it was done is unknown).
        const status = answer.status === 504 && !o.once ? 503 : answer.status;
        throw statusError(status, graphErrorOf(safeJson(answer.body)), operation, {
          retryAfterMs: wait,
        });
      }
      return answer;
    }
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/** Reads a body up to `max` bytes; beyond it stops reading (and closes the stream) when `truncate`, else throws. */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, max: number, truncate: boolean) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size + chunk.length > max) {
      chunks.push(chunk.subarray(0, max - size));
      body.destroy();
      if (!truncate) return { body: Buffer.alloc(0), truncated: true };
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}
