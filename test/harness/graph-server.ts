// A local Microsoft Graph mail server (HTTPS on 127.0.0.1) for the Graph connector's tests: the mail API
// of graph-routes.ts, JSON batching, tokens checked at the harness OAuth provider as Exchange Online checks
// them, and knobs for what Microsoft 365 does to clients: throttling, the per-mailbox concurrency limit,
// expired delta tokens, mailboxes without Exchange Online, and hostile answers.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverCertificate } from './certs.ts';
import { GRAPH_APP_SCOPE, GRAPH_MAIL_SCOPE, GRAPH_SEND_SCOPE } from './oauth-provider.ts';
import { HarnessError } from './errors.ts';
import { graphError, type GraphAnswer } from './graph-answers.ts';
import { GraphRoutes } from './graph-routes.ts';
import { type GraphSendFailure, type GraphSentMessage, readMimeBody, takeMessage } from './graph-send.ts';
import { GraphMailbox, type GraphMessage } from './graph-store.ts';

export { GraphMailbox, WELL_KNOWN_FOLDERS } from './graph-store.ts';
export type { GraphMessage } from './graph-store.ts';
export type { GraphSendFailure, GraphSentMessage } from './graph-send.ts';

const GRAPH_RESOURCE = 'https://graph.microsoft.com/';

export type GraphHostile = 'malformed-json' | 'huge-body' | 'endless-nextlink' | null;

export interface GraphServerInstance {
  /** https://127.0.0.1:PORT/v1.0 */
  baseUrl: string;
  host: string;
  port: number;
  certPem: string;
  caPem?: string;
  /** A mailbox with Graph's well-known folders (inbox, sentitems, drafts, deleteditems, junkemail, archive). */
  addMailbox(address: string): GraphMailbox;
  mailbox(address: string): GraphMailbox;
  /** A new message in a folder (id or well-known name); returns its immutable id. */
  deliver(
    address: string,
    folder: string,
    raw: string | Buffer,
    opts?: { isRead?: boolean; flagged?: boolean; receivedDateTime?: string },
  ): string;
  /** Every message the mailbox holds, for exact comparison. */
  state(
    address: string,
  ): Array<{ id: string; folder: string; isRead: boolean; flagStatus: GraphMessage['flagStatus']; internetMessageId: string | null }>;
  /** The next `count` requests answer `status` with `Retry-After` (null: stop). */
  throttle(t: { status: 429 | 503; retryAfterSeconds: number; count: number } | null): void;
  /** Delay before each answer, while the request counts as in flight. */
  setLatency(ms: number): void;
  /** Most requests in flight at once since the start (or resetMaxInFlight). */
  readonly maxInFlight: number;
  resetMaxInFlight(): void;
  /** Delta tokens of the folder (or every folder) answer 410 with `code` from now on. */
  expireDeltaTokens(address: string, folder?: string, code?: 'syncStateNotFound' | 'resyncRequired'): void;
  /** The mailbox answers MailboxNotEnabledForRESTAPI, as one without Exchange Online (or on-premises) does. */
  setRestDisabled(address: string, disabled: boolean): void;
  /** Mail folder listings and delta pages become hostile (null: normal again). */
  setHostile(mode: GraphHostile): void;
  /** Messages taken by sendMail, in order, with the exact bytes decoded from each request. */
  sent: GraphSentMessage[];
  /**
   * The next sendMail answers this instead (e.g. 429 TooManyRequests with Retry-After, 503, 403
   * ErrorAccessDenied, 413 ErrorMessageSizeExceeded), or with `{ drop: true }` takes the message and cuts
   * the connection before answering (an unclear end). null: normal again.
   */
  failNextSend(f: GraphSendFailure | null): void;
  /** Every request: method, path with query, status, the Prefer header, and when it was answered (ms). */
  requests: Array<{ method: string; path: string; status: number; prefer?: string; at: number }>;
  stop(): Promise<void>;
}

interface Identity {
  email?: string;
  appId?: string;
  scopes: string[];
}

const MAX_REQUEST_BODY = 4 * 1024 * 1024;
const HUGE_BODY_BYTES = 512 * 1024 * 1024;
const TOKEN_CACHE_MS = 2_000;

export async function startGraphServer(opts: {
  /** The harness OAuth provider's userinfoUrl (playing Microsoft): tokens are checked there. */
  userinfoUrl: string;
  tls?: 'ca-signed' | 'self-signed';
  /** Requests in flight at once before 429 MailboxConcurrency; Exchange Online allows 4. */
  concurrencyLimit?: number;
}): Promise<GraphServerInstance> {
  const cert = await serverCertificate(opts.tls ?? 'ca-signed');
  const mailboxes = new Map<string, GraphMailbox>();
  const routes = new GraphRoutes();
  const tokenCache = new Map<string, { at: number; identity: Identity | null }>();
  const requests: GraphServerInstance['requests'] = [];
  const limit = opts.concurrencyLimit ?? 4;
  let throttle: { status: 429 | 503; retryAfterSeconds: number; count: number } | null = null;
  let latencyMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let hostile: GraphHostile = null;
  const sent: GraphSentMessage[] = [];
  let sendFailure: GraphSendFailure | null = null;

  const mailboxOf = (address: string): GraphMailbox => {
    const m = mailboxes.get(address.toLowerCase());
    if (!m) throw new HarnessError('GRAPH_NO_MAILBOX', `no Graph mailbox ${address}`);
    return m;
  };

  async function identityOf(token: string): Promise<Identity | null> {
    const cached = tokenCache.get(token);
    if (cached && Date.now() - cached.at < TOKEN_CACHE_MS) return cached.identity;
    const res = await fetch(opts.userinfoUrl, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json().catch(() => ({}))) as { email?: string; app_id?: string; scope?: string };
    const identity = res.ok ? { email: body.email?.toLowerCase(), appId: body.app_id, scopes: (body.scope ?? '').split(' ') } : null;
    tokenCache.set(token, { at: Date.now(), identity });
    return identity;
  }

  /** Resolves `/me/...` or `/users/{id}/...` to the mailbox, or answers as Graph does. */
  function resolve(path: string, who: Identity): { mailbox: GraphMailbox; rest: string; userBase: string } | GraphAnswer {
    const m = /^\/v1\.0\/(me|users\/([^/]+))(?:\/(.*))?$/.exec(path);
    if (!m) return graphError(400, 'BadRequest', `Invalid version or resource: ${path}`);
    let address: string;
    if (m[1] === 'me') {
      if (!who.email) return graphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
      address = who.email;
    } else {
      address = decodeURIComponent(m[2]).toLowerCase();
      if (who.email && who.email !== address)
        return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    }
    const mailbox = mailboxes.get(address);
    if (!mailbox && m[1] !== 'me') return graphError(404, 'ErrorInvalidUser', `The requested user '${address}' is invalid.`);
    if (!mailbox || mailbox.restDisabled) {
      return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    }
    return { mailbox, rest: m[3] ?? '', userBase: `${baseUrl}/${m[1]}` };
  }

  function answerFor(who: Identity, method: string, url: URL, headers: Record<string, string | undefined>, body: unknown): GraphAnswer {
    const target = resolve(url.pathname, who);
    if ('status' in target) return target;
    if (target.rest === 'sendMail' && method === 'POST') return sendMail(who, target.mailbox, body);
    const canWrite = who.scopes.includes(GRAPH_MAIL_SCOPE) || (who.appId !== undefined && who.scopes.includes(GRAPH_APP_SCOPE));
    if (!canWrite) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    return routes.handle({ method, query: url.searchParams, headers, body, ...target });
  }

  /** POST sendMail: Mail.Send (or an app token), then the MIME body; failures as `failNextSend` asked. */
  function sendMail(who: Identity, mailbox: GraphMailbox, body: unknown): GraphAnswer {
    const canSend = who.scopes.includes(GRAPH_SEND_SCOPE) || (who.appId !== undefined && who.scopes.includes(GRAPH_APP_SCOPE));
    if (!canSend) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const raw = readMimeBody(body);
    if (!Buffer.isBuffer(raw)) return raw;
    const failure = sendFailure;
    sendFailure = null;
    if (failure && 'drop' in failure) {
      const taken = takeMessage(mailbox, raw, mailboxes, sent);
      return taken.status === 202 ? { status: 0, drop: true } : taken;
    }
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
      return graphError(failure.status, failure.code, failure.message, headers);
    }
    return takeMessage(mailbox, raw, mailboxes, sent);
  }

  function batch(who: Identity, body: unknown, outerHeaders: Record<string, string | undefined>): GraphAnswer {
    const list = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(list) || list.length === 0) return graphError(400, 'BadRequest', 'Invalid batch payload format.');
    if (list.length > 20) return graphError(400, 'BadRequest', 'Number of batch request steps exceeds the maximum of 20.');
    const responses = list.map((r: { id?: unknown; method?: unknown; url?: unknown; headers?: Record<string, string>; body?: unknown }) => {
      const url = new URL(`/v1.0/${String(r.url ?? '').replace(/^\//, '')}`, baseUrl);
      const headers = { ...outerHeaders, ...Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
      const a = answerFor(who, String(r.method ?? 'GET').toUpperCase(), url, headers, r.body ?? null);
      return {
        id: String(r.id),
        status: a.status,
        headers: { 'Content-Type': 'application/json', ...a.headers },
        ...(a.json !== undefined ? { body: a.json } : {}),
      };
    });
    return { status: 200, json: { responses } };
  }

  async function handle(req: IncomingMessage, raw: Buffer): Promise<GraphAnswer> {
    if (throttle && throttle.count > 0) {
      throttle.count -= 1;
      const { status, retryAfterSeconds } = throttle;
      return status === 429
        ? graphError(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': String(retryAfterSeconds) })
        : graphError(503, 'ServiceUnavailable', 'Service unavailable; retry later.', { 'retry-after': String(retryAfterSeconds) });
    }
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const who = token ? await identityOf(token) : null;
    // A token the provider does not know, or one for another resource (IMAP's), has the wrong audience.
    if (!who?.scopes.some((s) => s.startsWith(GRAPH_RESOURCE))) {
      return graphError(
        401,
        'InvalidAuthenticationToken',
        token ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.',
        {
          'www-authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
        },
      );
    }
    let body: unknown = null;
    if (raw.length && /^text\/plain/i.test(req.headers['content-type'] ?? '')) body = raw.toString('latin1');
    else if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
    }
    const url = new URL(req.url ?? '/', baseUrl);
    const headers = { prefer: preferOf(req) };
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    if (url.pathname === '/v1.0/$batch' && req.method === 'POST') return batch(who, body, headers);
    return answerFor(who, req.method ?? 'GET', url, headers, body);
  }

  async function writeHostile(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const listing = req.method === 'GET' && /\/(mailFolders|messages\/delta)(\?|$)/.test(req.url ?? '');
    if (!hostile || hostile === 'endless-nextlink' || !listing) return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    if (hostile === 'malformed-json') {
      res.end('{"@odata.context":"x","value":[{"id":"AAMk');
      return true;
    }
    res.write('{"value":[{"id":"');
    const chunk = Buffer.alloc(64 * 1024, 'A');
    for (let sent = 0; sent < HUGE_BODY_BYTES && !res.destroyed; sent += chunk.length) {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
    }
    res.end('"}]}');
    return true;
  }

  const server = https.createServer({ key: cert.keyPem, cert: cert.certPem });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BODY) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        let answer: GraphAnswer;
        if (size > MAX_REQUEST_BODY) answer = graphError(413, 'RequestEntityTooLarge', 'The request is too large.');
        else if (inFlight > limit) {
          answer = graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'retry-after': '1' });
        } else if (await writeHostile(req, res)) {
          requests.push({ method: req.method ?? '', path: req.url ?? '', status: 200, prefer: preferOf(req), at: Date.now() });
          return;
        } else answer = await handle(req, Buffer.concat(chunks));
        requests.push({ method: req.method ?? '', path: req.url ?? '', status: answer.status, prefer: preferOf(req), at: Date.now() });
        if (answer.drop) {
          res.destroy();
          return;
        }
        const payload = answer.raw ?? (answer.json !== undefined ? Buffer.from(JSON.stringify(answer.json)) : Buffer.alloc(0));
        const type = answer.raw ? (answer.contentType ?? 'application/octet-stream') : 'application/json; odata.metadata=minimal';
        res.writeHead(answer.status, { ...(answer.status === 204 ? {} : { 'content-type': type }), ...answer.headers });
        res.end(payload);
      })().catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'generalException', message: (err as Error).message } }));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `https://127.0.0.1:${port}/v1.0`;
  // Endless paging is answered by the routes themselves (each page a new skiptoken).
  const setHostile = (mode: GraphHostile) => {
    hostile = mode;
    routes.endlessDelta = mode === 'endless-nextlink';
  };

  let stopping: Promise<void> | undefined;
  return {
    baseUrl,
    host: '127.0.0.1',
    port,
    certPem: cert.certPem,
    caPem: cert.caPem,
    requests,
    sent,
    failNextSend(f) {
      sendFailure = f;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    resetMaxInFlight() {
      maxInFlight = inFlight;
    },
    addMailbox(address) {
      const m = new GraphMailbox(address.toLowerCase());
      mailboxes.set(m.address, m);
      return m;
    },
    mailbox: mailboxOf,
    deliver(address, folder, raw, deliverOpts) {
      return mailboxOf(address).deliver(folder, Buffer.isBuffer(raw) ? raw : Buffer.from(raw), deliverOpts).immutableId;
    },
    state(address) {
      const m = mailboxOf(address);
      return [...m.messages.values()].map((msg) => {
        const f = m.folders.get(msg.folderId);
        return {
          id: msg.immutableId,
          folder: f?.wellKnownName ?? f?.displayName ?? msg.folderId,
          isRead: msg.isRead,
          flagStatus: msg.flagStatus,
          internetMessageId: msg.internetMessageId,
        };
      });
    },
    throttle(t) {
      throttle = t ? { ...t } : null;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    expireDeltaTokens(address, folder, code = 'syncStateNotFound') {
      routes.expiredCode = code;
      mailboxOf(address).expireDeltaTokens(folder);
    },
    setRestDisabled(address, disabled) {
      mailboxOf(address).restDisabled = disabled;
    },
    setHostile,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

function preferOf(req: IncomingMessage): string | undefined {
  const p = req.headers.prefer;
  return Array.isArray(p) ? p.join(', ') : p;
}
