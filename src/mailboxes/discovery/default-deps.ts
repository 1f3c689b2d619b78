import { Resolver } from 'node:dns/promises';
import net, { type LookupFunction } from 'node:net';
import tls from 'node:tls';
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
  const fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
  const maxBody = options.maxBodyBytes ?? 256 * 1024;
  const ca = options.ca ? [...tls.rootCertificates, options.ca.toString()] : undefined;

  async function fetchText(url: string, opts: FetchTextOptions) {
    if (new URL(url).protocol !== 'https:') throw new DiscoveryError('insecure_redirect', 'only https URLs are fetched');
    const res = await fetchImpl(url, {
      method: opts.method ?? 'GET',
      headers: opts.headers,
      body: opts.body,
      redirect: 'follow',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    if (res.url && new URL(res.url).protocol !== 'https:') {
      await res.body?.cancel().catch(() => undefined);
      throw new DiscoveryError('insecure_redirect', 'redirected away from https');
    }
    return { status: res.status, body: await readCapped(res, maxBody) };
  }

  function probeTcp(host: string, port: number, opts: { timeoutMs: number; tls: boolean }): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const socket = opts.tls
        ? tls.connect({ host, port, servername: host, ca, lookup: options.lookup })
        : net.connect({ host, port, lookup: options.lookup });
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
