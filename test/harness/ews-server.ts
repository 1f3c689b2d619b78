import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { challengeMessage, NtlmError, targetInfoOf, verifyAuthenticate } from '../../src/connectors/ews/ntlm.ts';
import { serverCertificate } from './certs.ts';
import { autodiscoverPox, autodiscoverSoap, type AutodiscoverMode } from './ews-autodiscover.ts';
import { type EwsOperationContext, type EwsSendFailure, handleOperation } from './ews-operations.ts';
import { recipientsOf, withoutBcc } from './sent-mime.ts';
import { EwsMailboxStore, type EwsFolder } from './ews-store.ts';
import { envelope, fault, parseRequest, type Node } from './ews-xml.ts';

/**
 * A local Exchange Server as its EWS clients see it (EWS reference, messages.xsd/types.xsd): HTTPS on
 * 127.0.0.1 with a certificate from the run's CA, NTLM (NTLMv2, checked against the password) behind
 * `WWW-Authenticate: NTLM` and `Negotiate` (and Basic on demand), POX and SOAP Autodiscover, and
 * `/EWS/Exchange.asmx` with the operations a mail client needs (see README.md).
 */
export type AuthScheme = 'NTLM' | 'Negotiate' | 'Basic';

export interface EwsUserOptions {
  /** The primary SMTP address (UPN sign-in uses it too). */
  email: string;
  /** DOMAIN\user for NTLM; defaults to CONTOSO\<local part>. */
  username?: string;
  password: string;
}

export interface EwsUserState {
  /** Set-CASMailbox -EwsEnabled $false: HTTP 403 to EWS requests after sign-in. */
  ewsDisabled?: boolean;
  /** Every operation answers ErrorAccessDenied. */
  accessDenied?: boolean;
  /** Every operation answers ErrorMailboxMoveInProgress. */
  moveInProgress?: boolean;
}

export type HostileMode = 'malformed' | 'huge' | 'endless';
export type { EwsSendFailure };

/** One message sent with CreateItem (SendOnly or SendAndSaveCopy). */
export interface EwsSentMessage {
  from: string;
  /** The bytes decoded from MimeContent, exactly. */
  raw: Buffer;
  /** To, Cc and Bcc of the source, lowercased. */
  recipients: string[];
  /** Its ItemId in the folder it was saved to (Sent Items), null for SendOnly. */
  savedItemId: string | null;
  at: number;
}

export interface EwsRequestRecord {
  at: number;
  operation: string;
  user: string | null;
  status: number;
  /** The fault or first response code, when not NoError. */
  code?: string;
}

export interface EwsServerInstance {
  host: string;
  port: number;
  origin: string;
  /** https://127.0.0.1:PORT/EWS/Exchange.asmx */
  url: string;
  certPem: string;
  caPem: string;
  fingerprint256: string;
  addUser(user: EwsUserOptions): EwsMailboxStore;
  mailbox(email: string): EwsMailboxStore;
  /** Delivers a raw message into a folder (a DistinguishedFolderId name or a display name): the new ItemId. */
  deliver(email: string, folder: string, raw: string | Buffer, opts?: { isRead?: boolean; flagged?: boolean; event?: boolean }): string;
  /** The server's state of a folder, for exact comparison. */
  state(email: string, folder: string): Array<{ id: string; messageId: string | null; isRead: boolean; flagged: boolean; size: number }>;
  createFolder(email: string, name: string): string;
  /** The next `times` EWS requests (of `operation`, if given) answer ErrorServerBusy with BackOffMilliseconds. */
  setBusy(opts: { backOffMs: number; times: number; operation?: string } | null): void;
  /** Every SyncState handed out for the user answers ErrorInvalidSyncStateData from now on. */
  invalidateSyncStates(email: string): void;
  setUserState(email: string, state: EwsUserState): void;
  /** Schemes offered in WWW-Authenticate (default NTLM and Negotiate). `kerberosOnly`: Negotiate refuses NTLM tokens. */
  setAuth(opts: { schemes: AuthScheme[]; kerberosOnly?: boolean }): void;
  /** Hostile answers to `operation` (default every EWS operation) until cleared. */
  setHostile(mode: HostileMode | null, operation?: string): void;
  setAutodiscover(mode: AutodiscoverMode): void;
  /** false: Subscribe refuses streaming subscriptions (ErrorInvalidSubscriptionRequest), pull ones still work. */
  setStreaming(on: boolean): void;
  /** Every request the server answered, in order. */
  requests: EwsRequestRecord[];
  /** Messages sent with CreateItem, in order. */
  sent: EwsSentMessage[];
  /**
   * The next sending CreateItem answers an error response message (e.g. ErrorMessageSizeExceeded,
   * ErrorQuotaExceeded, ErrorSendAsDenied), or with `{ drop: true }` sends and cuts the connection
   * unanswered. ErrorServerBusy is `setBusy({ …, operation: 'CreateItem' })`. null: normal again.
   */
  failNextSend(f: EwsSendFailure | null): void;
  /** Open streaming (GetStreamingEvents) connections. */
  streamingConnections(): number;
  stop(): Promise<void>;
}

interface UserEntry extends EwsUserOptions {
  username: string;
  store: EwsMailboxStore;
  state: EwsUserState;
}

interface ConnectionAuth {
  challenge?: Buffer;
  user?: UserEntry;
}

const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        req.destroy();
        reject(new Error('request too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the EWS server on 127.0.0.1 (a free port). */
export async function startEwsServer(opts: { auth?: AuthScheme[] } = {}): Promise<EwsServerInstance> {
  const cert = await serverCertificate('ca-signed');
  const users = new Map<string, UserEntry>();
  const connections = new WeakMap<Socket, ConnectionAuth>();
  let schemes: AuthScheme[] = opts.auth ?? ['NTLM', 'Negotiate'];
  let kerberosOnly = false;
  let busy: { backOffMs: number; times: number; operation?: string } | null = null;
  let hostile: { mode: HostileMode; operation?: string } | null = null;
  let autodiscover: AutodiscoverMode = 'ok';
  let streaming = true;
  const requests: EwsRequestRecord[] = [];
  const sent: EwsSentMessage[] = [];
  let sendFailure: EwsSendFailure | null = null;
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  const userByEmail = (email: string) => {
    const u = users.get(email.toLowerCase());
    if (!u) throw new Error(`no EWS user ${email}`);
    return u;
  };
  const folderOf = (u: UserEntry, name: string): EwsFolder => {
    const f = u.store.folderByName(name);
    if (!f) throw new Error(`no folder ${name}`);
    return f;
  };
  const passwordOf = (user: string, domain: string): UserEntry | undefined => {
    for (const u of users.values()) {
      if (domain === '' && user.toLowerCase() === u.email.toLowerCase()) return u;
      if (`${domain}\\${user}`.toLowerCase() === u.username.toLowerCase()) return u;
    }
    return undefined;
  };

  const offer = (res: ServerResponse, extra?: string) => {
    const headers = extra ? [extra] : schemes.map((s) => (s === 'Basic' ? 'Basic realm="127.0.0.1"' : s));
    res.writeHead(401, { 'WWW-Authenticate': headers, 'Content-Type': 'text/html', 'Content-Length': 0 });
    res.end();
  };

  /** Signs the request's connection in (NTLM) or the request (Basic); null when a 401 was sent. */
  function authenticate(req: IncomingMessage, res: ServerResponse): UserEntry | null {
    const socket = req.socket;
    const conn = connections.get(socket) ?? {};
    connections.set(socket, conn);
    const header = req.headers.authorization;
    if (!header) {
      // NTLM authenticates the connection: later requests on it need no header (IIS's default).
      if (conn.user) return conn.user;
      offer(res);
      return null;
    }
    const [scheme = '', token = ''] = header.split(/\s+/, 2);
    const name = schemes.find((s) => s.toLowerCase() === scheme.toLowerCase());
    if (!name) {
      offer(res);
      return null;
    }
    if (name === 'Basic') {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const who = decoded.slice(0, colon);
      const u = [...users.values()].find(
        (x) => x.email.toLowerCase() === who.toLowerCase() || x.username.toLowerCase() === who.toLowerCase(),
      );
      if (!u || u.password !== decoded.slice(colon + 1)) {
        offer(res);
        return null;
      }
      return u;
    }
    const message = Buffer.from(token, 'base64');
    if (name === 'Negotiate' && kerberosOnly) {
      offer(res);
      return null;
    }
    try {
      const type = message.length >= 12 ? message.readUInt32LE(8) : 0;
      if (type === 1) {
        conn.challenge = randomBytes(8);
        conn.user = undefined;
        const challenge = challengeMessage({
          serverChallenge: conn.challenge,
          targetName: 'CONTOSO',
          targetInfo: targetInfoOf({ nbDomain: 'CONTOSO', nbComputer: 'EX01', timestamp: new Date() }),
        });
        offer(res, `${name} ${challenge.toString('base64')}`);
        return null;
      }
      if (type === 3 && conn.challenge) {
        const challenge = conn.challenge;
        conn.challenge = undefined;
        let found: UserEntry | undefined;
        const ok = verifyAuthenticate(message, challenge, (user, domain) => {
          found = passwordOf(user, domain);
          return found?.password;
        });
        if (ok && found) {
          conn.user = found;
          return found;
        }
      }
    } catch (err) {
      if (!(err instanceof NtlmError)) throw err;
    }
    offer(res);
    return null;
  }

  function record(operation: string, user: UserEntry | null, status: number, code?: string) {
    requests.push({ at: Date.now(), operation, user: user?.email ?? null, status, code });
  }

  function send(res: ServerResponse, status: number, xml: string) {
    res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  }

  function sendHostile(res: ServerResponse, mode: HostileMode, operation: string): boolean {
    if (mode === 'malformed') {
      send(
        res,
        200,
        `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:${operation}Response><unclosed>`,
      );
      return true;
    }
    if (mode === 'huge') {
      // A body that never ends: the client must stop reading at its cap.
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
      const chunk = Buffer.alloc(1024 * 1024, 'A');
      res.write(`<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x>`);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
      return true;
    }
    return false;
  }

  async function handleEws(res: ServerResponse, body: Buffer, user: UserEntry) {
    let request: Node;
    try {
      request = parseRequest(body.toString('utf8'));
    } catch {
      record('?', user, 400);
      send(res, 400, fault('ErrorSchemaValidation', 'The request failed schema validation.'));
      return;
    }
    const bodyNode = (request.Envelope as Node | undefined)?.Body as Node | undefined;
    const operation = bodyNode ? Object.keys(bodyNode).find((k) => !k.startsWith('@_')) : undefined;
    if (!bodyNode || !operation) {
      record('?', user, 400);
      send(res, 400, fault('ErrorInvalidRequest', 'The request is invalid.'));
      return;
    }
    if (user.state.ewsDisabled) {
      record(operation, user, 403);
      res.writeHead(403, { 'Content-Length': 0 });
      res.end();
      return;
    }
    if (busy && busy.times > 0 && (!busy.operation || busy.operation === operation)) {
      busy.times -= 1;
      record(operation, user, 500, 'ErrorServerBusy');
      send(res, 500, fault('ErrorServerBusy', 'The server cannot service this request right now. Try again later.', busy.backOffMs));
      return;
    }
    if (hostile && (!hostile.operation || hostile.operation === operation) && sendHostile(res, hostile.mode, operation)) {
      record(operation, user, 200, `hostile:${hostile.mode}`);
      return;
    }
    const ctx: EwsOperationContext = {
      store: user.store,
      state: user.state,
      streaming,
      endless: hostile?.mode === 'endless' && (!hostile.operation || hostile.operation === operation),
      ewsUrl: `${origin}/EWS/Exchange.asmx`,
      stream: (r) => streams.add(r),
      unstream: (r) => streams.delete(r),
      takeSendFailure: () => {
        const f = sendFailure;
        sendFailure = null;
        return f;
      },
      sent: (raw, savedItemId) => {
        const recipients = recipientsOf(raw);
        sent.push({ from: user.email.toLowerCase(), raw, recipients, savedItemId, at: Date.now() });
        const delivered = withoutBcc(raw);
        for (const r of recipients) {
          const to = users.get(r);
          if (to) to.store.deliver(to.store.folder('inbox')!, delivered);
        }
      },
    };
    const answer = handleOperation(operation, bodyNode[operation] as Node, ctx, res);
    if (answer === 'streaming') {
      record(operation, user, 200);
      return;
    }
    if (answer.drop) {
      record(operation, user, 0, 'dropped');
      res.destroy();
      return;
    }
    record(operation, user, answer.status, answer.code);
    send(res, answer.status, answer.xml);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0]!.toLowerCase();
    const body = await readBody(req);
    if (
      req.method !== 'POST' ||
      !['/ews/exchange.asmx', '/autodiscover/autodiscover.xml', '/autodiscover/autodiscover.svc'].includes(path)
    ) {
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
      return;
    }
    const user = authenticate(req, res);
    if (!user) {
      record(path, null, 401);
      return;
    }
    if (path === '/ews/exchange.asmx') return handleEws(res, body, user);
    const text = body.toString('utf8');
    const answer = path.endsWith('.xml')
      ? autodiscoverPox(text, autodiscover, origin, users)
      : autodiscoverSoap(text, autodiscover, origin, users);
    record(path, user, answer.status);
    send(res, answer.status, answer.xml);
  }

  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem, keepAliveTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, envelope(`<s:Fault><faultcode>s:Server</faultcode><faultstring>${String(err)}</faultstring></s:Fault>`));
      else res.destroy();
    });
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `https://127.0.0.1:${port}`;

  return {
    host: '127.0.0.1',
    port,
    origin,
    url: `${origin}/EWS/Exchange.asmx`,
    certPem: cert.certPem,
    caPem: cert.caPem as string,
    fingerprint256: cert.fingerprint256,
    requests,
    sent,
    failNextSend(f) {
      sendFailure = f;
    },
    addUser(u) {
      const entry: UserEntry = {
        ...u,
        username: u.username ?? `CONTOSO\\${u.email.split('@')[0]}`,
        store: new EwsMailboxStore(),
        state: {},
      };
      users.set(u.email.toLowerCase(), entry);
      return entry.store;
    },
    mailbox: (email) => userByEmail(email).store,
    deliver(email, folder, raw, o) {
      const u = userByEmail(email);
      return u.store.deliver(folderOf(u, folder), Buffer.isBuffer(raw) ? raw : Buffer.from(raw), o).id;
    },
    state(email, folder) {
      const u = userByEmail(email);
      return [...folderOf(u, folder).items.values()].map((i) => ({
        id: i.id,
        messageId: i.messageId,
        isRead: i.isRead,
        flagged: i.flagged,
        size: i.mime.length,
      }));
    },
    createFolder(email, name) {
      return userByEmail(email).store.addFolder(name).id;
    },
    setBusy(b) {
      busy = b ? { ...b } : null;
    },
    invalidateSyncStates(email) {
      userByEmail(email).store.invalidateSyncStates();
    },
    setUserState(email, state) {
      userByEmail(email).state = { ...state };
    },
    setAuth(a) {
      schemes = [...a.schemes];
      kerberosOnly = a.kerberosOnly ?? false;
    },
    setHostile(mode, operation) {
      hostile = mode ? { mode, operation } : null;
    },
    setAutodiscover(mode) {
      autodiscover = mode;
    },
    setStreaming(on) {
      streaming = on;
    },
    streamingConnections: () => streams.size,
    async stop() {
      for (const r of streams) r.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
