// The staged connection test of a Microsoft Graph mailbox: dns, connect and tls as for IMAP (the same host
// policy, trust and pinning), then auth (the token opens the mailbox) and list (its mail folders).
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { tlsOptionsFor } from '../../connectors/tls-policy.ts';
import type { HostPolicy } from '../host-policy.ts';
import { openConnection } from './connection.ts';
import { ProbeError } from './probe-error.ts';
import { ProbeRun } from './probe-run.ts';
import type { ProbeFailureCode, ProbeReport } from './types.ts';

export interface GraphProbeTarget {
  email: string;
  /** Graph's versioned base URL (https://graph.microsoft.com/v1.0). */
  baseUrl: string;
  /** 'me' with a user's sign-in; the user's id or address with an app-only token. */
  user: string;
  /** The access token got for this test (the token stage ran before). */
  accessToken: string;
  pinnedCertPem: string | null;
  extraCaPems?: string[];
  hostPolicy: HostPolicy;
  /** Per stage; default 10000. */
  timeoutMs?: number;
}

/** A probe reads folder names, nothing big: a larger answer is not Graph's. */
const MAX_ANSWER_BYTES = 1024 * 1024;

interface Answer {
  status: number;
  json: unknown;
  retryAfter?: string;
}

/** What a refusal means for the admin, by status and Graph's error code. */
export function classifyGraphRefusal(status: number, code: string, appOnly: boolean): ProbeFailureCode {
  if (status === 401) return 'oauth_token_rejected';
  if (code === 'MailboxNotEnabledForRESTAPI') return 'graph_mailbox_not_enabled';
  // Delegated: the user's consent lacked Mail.ReadWrite. App-only: the app may not open this mailbox.
  if (status === 403) return appOnly ? 'access_denied' : 'oauth_scope_missing';
  if (status === 404) return 'mailbox_unavailable';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'server_busy';
  return 'protocol_error';
}

/** Stages: dns, connect, tls, auth (the token accepted), list (the mail folders): report.protocol 'graph'. */
export async function probeGraph(target: GraphProbeTarget): Promise<ProbeReport> {
  let url: URL | null = null;
  try {
    url = new URL(target.baseUrl.replace(/\/+$/, ''));
  } catch {
    // Reported below as a protocol error of the connect stage.
  }
  const run = new ProbeRun('graph', {
    host: url?.hostname.replace(/^\[(.*)\]$/, '$1') ?? target.baseUrl,
    port: Number(url?.port || 443),
    security: 'tls',
    username: target.email,
    secret: '',
    accessToken: target.accessToken,
    allowPlaintext: false,
    pinnedCertPem: target.pinnedCertPem,
    extraCaPems: target.extraCaPems,
    hostPolicy: target.hostPolicy,
    timeoutMs: target.timeoutMs,
  });
  let error: unknown;
  try {
    if (url?.protocol !== 'https:') {
      run.refuse('connect', new ProbeError('plaintext_refused', { params: { before: 'yes' } }), { attempted: false, url: target.baseUrl });
    }
    const base = url as URL;
    const { wire, address } = await openConnection(run);
    // The handshake above decided trust; the requests below open their own connections to the same
    // checked address, with the same trust rules.
    wire.destroy();
    const userPath = target.user === 'me' ? 'me' : `users/${encodeURIComponent(target.user)}`;
    const get = (path: string) => httpGet(run, base, address, path, target);
    await run.stage('auth', async (detail) => {
      const answer = await get(`/${userPath}/mailFolders/inbox?$select=id`);
      detail.status = answer.status;
      refuseUnlessOk(answer, target.user !== 'me');
    });
    await run.stage('list', async (detail) => {
      const answer = await get(`/${userPath}/mailFolders?$top=100`);
      detail.status = answer.status;
      refuseUnlessOk(answer, target.user !== 'me');
      const value = (answer.json as { value?: unknown } | null)?.value;
      if (!Array.isArray(value)) throw new ProbeError('protocol_error', { params: { why: 'the folder list is missing from the answer' } });
      detail.folders = value.map((f: { displayName?: unknown }) => String(f?.displayName ?? '')).slice(0, 50);
    });
  } catch (err) {
    error = err;
  }
  return { ...run.report(error), url: target.baseUrl };
}

function refuseUnlessOk(answer: Answer, appOnly: boolean): void {
  if (answer.status >= 200 && answer.status < 300) return;
  const e = (answer.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof e?.code === 'string' ? e.code : '';
  const reply = [String(answer.status), code, typeof e?.message === 'string' ? e.message : ''].filter(Boolean).join(' ');
  const failure = classifyGraphRefusal(answer.status, code, appOnly);
  throw new ProbeError(failure, {
    reply,
    detail: { graphError: code, ...(answer.retryAfter ? { retryAfter: answer.retryAfter } : {}) },
    params: { why: reply, email: '' },
  });
}

/** One GET over a fresh TLS connection to the address the connect stage checked (no second DNS look-up). */
function httpGet(run: ProbeRun, base: URL, address: string, path: string, target: GraphProbeTarget): Promise<Answer> {
  const lookup: LookupFunction = (_host, opts, cb) => {
    const family = address.includes(':') ? 6 : 4;
    if ((opts as { all?: boolean }).all)
      (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const requestPath = `${base.pathname}${path}`;
  run.transcript.client(`GET ${requestPath}`);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        ...tlsOptionsFor(run.target.host, { pinnedCertPem: target.pinnedCertPem, extraCaPems: target.extraCaPems }),
        host: run.target.host,
        port: run.target.port,
        path: requestPath,
        method: 'GET',
        lookup,
        agent: false,
        timeout: run.timeoutMs,
        headers: { authorization: `Bearer ${target.accessToken}`, accept: 'application/json', prefer: 'IdType="ImmutableId"' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) {
            req.destroy();
            reject(new ProbeError('protocol_error', { params: { why: `an answer over ${MAX_ANSWER_BYTES} bytes` } }));
          } else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          run.transcript.server(`HTTP ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim());
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            reject(new ProbeError('protocol_error', { params: { why: `HTTP ${res.statusCode ?? 0} with an answer that is not JSON` } }));
            return;
          }
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, json, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new ProbeError('connect_timeout', { params: { why: 'no answer' } })));
    req.on('error', (err) =>
      reject(err instanceof ProbeError ? err : new ProbeError('protocol_error', { cause: err, params: { why: err.message } })),
    );
    req.end();
  });
}
