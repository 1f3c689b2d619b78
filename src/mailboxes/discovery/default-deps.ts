import { Resolver } from 'node:dns/promises';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import tls from 'node:tls';
import { assertHostAllowed, checkedLookup, HostNotAllowedError, type HostPolicy } from '../host-policy.ts';
import { DiscoveryError, type DiscoveryDeps, type FetchTextOptions } from './types.ts';

export interface DefaultDepsOptions {
  /** Resolver for MX and SRV; default: the system's servers, 1.5 s per try, 2 tries. */
  resolver?: Resolver;
  /** Same shape as global fetch; tests pass one whose TLS trusts a test CA. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Extra CA certificate trusted by TCP probes (tests); the system's roots stay trusted. */
  ca?: string | Buffer;
  /** Host name → address for TCP probes; default: the system's (getaddrinfo). */
  lookup?: LookupFunction;
  /** Largest response body read; default 256 KiB. */
  maxBodyBytes?: number;
  /**
   * Which addresses HTTP requests and TCP probes may reach; every redirect target is checked before it
   * is requested. Default: public addresses only.
   */
  hostPolicy?: HostPolicy;
}

/** Redirects followed per request; Thunderbird's autoconfig and Exchange need one or two. */
const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET/POST over node:https with a checked look-up: the socket opens to the address that was checked, so
 * DNS cannot answer one address to the check and another to the request. Redirects are not followed here.
 */
function httpsFetch(lookup: LookupFunction) {
  return (url: string, init: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const request = https.request(
        url,
        { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, lookup, signal: init.signal ?? undefined },
        (res) => {
          const status = res.statusCode ?? 0;
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
          const empty = [204, 205, 304].includes(status) || (status >= 100 && status < 200);
          if (empty) res.resume();
          resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream), { status, headers }));
        },
      );
      request.on('error', reject);
      request.end(init.body as string | undefined);
    });
}

const noRecords = new Set(['ENODATA', 'ENOTFOUND']);

async function orEmpty<T>(lookUp: Promise<T[]>): Promise<T[]> {
  try {
    return await lookUp;
  } catch (error) {
    if (noRecords.has((error as { code?: string }).code ?? '')) return [];
    throw error;
  }
}

async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) throw new DiscoveryError('too_large', `response larger than ${max} bytes`);
      parts.push(value);
    }
  } finally {
    // Frees the connection whether we read it all or gave up half way.
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(parts));
}

const greeting = /^(\* OK|\* PREAUTH|220[ -])/;

export function createDefaultDeps(options: DefaultDepsOptions = {}): DiscoveryDeps {
  const resolver = options.resolver ?? new Resolver({ timeout: 1500, tries: 2 });
  const policy = options.hostPolicy ?? { allowLocal: false, allowPrivate: false };
  const lookup = checkedLookup(policy, options.lookup);
  const fetchImpl = options.fetch ?? httpsFetch(lookup);
  const maxBody = options.maxBodyBytes ?? 256 * 1024;
  const ca = options.ca ? [...tls.rootCertificates, options.ca.toString()] : undefined;

  /** Refuses a URL before it is requested: https only, and a host the policy allows after resolution. */
  async function checkTarget(url: URL): Promise<void> {
    if (url.protocol !== 'https:') throw new DiscoveryError('insecure_redirect', 'only https URLs are fetched');
    try {
      await assertHostAllowed(url.hostname, lookup);
    } catch (error) {
      if (error instanceof HostNotAllowedError) throw new DiscoveryError('host_not_allowed', error.message, { cause: error });
      throw error;
    }
  }

  async function fetchText(url: string, opts: FetchTextOptions) {
    let target = new URL(url);
    let method = opts.method ?? 'GET';
    let body = opts.body;
    for (let hop = 0; ; hop++) {
      await checkTarget(target);
      const res = await fetchImpl(target.href, {
        method,
        headers: opts.headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location) return { status: res.status, body: await readCapped(res, maxBody) };
      await res.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new DiscoveryError('bad_response', `more than ${MAX_REDIRECTS} redirects`);
      target = new URL(location, target);
      if (target.protocol !== 'https:') throw new DiscoveryError('insecure_redirect', 'redirected away from https');
      // As browsers do: a 303 (and a 301/302 after POST) turns into a GET without the body.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
    }
  }

  async function probeTcp(host: string, port: number, opts: { timeoutMs: number; tls: boolean }): Promise<boolean> {
    if (net.isIP(host)) await assertHostAllowed(host, lookup);
    return new Promise((resolve, reject) => {
      const socket = opts.tls ? tls.connect({ host, port, servername: host, ca, lookup }) : net.connect({ host, port, lookup });
      let buffered = '';
      let settled = false;
      const finish = (error: Error | null, seen = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve(seen);
      };
      const timer = setTimeout(() => finish(new DiscoveryError('timeout', `no greeting from ${host}:${port} in time`)), opts.timeoutMs);
      socket.setEncoding('latin1');
      socket.on('error', (error) => finish(error));
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        if (buffered.includes('\n') || buffered.length > 512) finish(null, greeting.test(buffered));
      });
      socket.on('close', () => finish(null, greeting.test(buffered)));
    });
  }

  return {
    resolveMx: (domain) => orEmpty(resolver.resolveMx(domain)),
    resolveSrv: (name) => orEmpty(resolver.resolveSrv(name)),
    fetchText,
    probeTcp,
  };
}
