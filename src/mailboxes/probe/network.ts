import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { ProbeError } from './probe-error.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The system resolver, as the mail client in production will use it (hosts file included). */
export async function resolveHost(host: string, timeoutMs: number): Promise<ResolvedAddress[]> {
  try {
    const found = await withTimeout(dns.promises.lookup(host, { all: true }), timeoutMs, () =>
      Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' }),
    );
    if (found.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
    return found;
  } catch (cause) {
    const code = String((cause as NodeJS.ErrnoException).code ?? 'unknown');
    // EAI_AGAIN / a timeout: the resolver did not answer, which the user fixes the same way (check the name, the network's DNS).
    const why = code === 'EAI_AGAIN' || code === 'ETIMEOUT' ? 'no_answer' : 'not_found';
    throw new ProbeError('dns_not_found', { cause, detail: { error: code }, params: { why } });
  }
}

function connectOnce(address: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
  });
}

/** Tries each address in order (as a mail client would) and returns the first connection. */
export async function connectTcp(
  addresses: ResolvedAddress[],
  port: number,
  timeoutMs: number,
): Promise<{ socket: net.Socket; address: string; tried: string[] }> {
  const tried: string[] = [];
  let last: unknown;
  for (const { address } of addresses.slice(0, 3)) {
    tried.push(address);
    try {
      const socket = await connectOnce(address, port, timeoutMs);
      // Nagle would only delay our one-line commands.
      socket.setNoDelay(true);
      return { socket, address, tried };
    } catch (err) {
      last = err;
    }
  }
  const code = String((last as NodeJS.ErrnoException).code ?? 'unknown');
  if (code === 'ECONNREFUSED') {
    throw new ProbeError('connect_refused', { cause: last, detail: { error: code, tried } });
  }
  const unreachable = ['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN'].includes(code);
  if (unreachable || code === 'ETIMEDOUT') {
    throw new ProbeError('connect_timeout', {
      cause: last,
      detail: { error: code, tried },
      params: { why: unreachable ? 'unreachable' : 'no_answer' },
    });
  }
  throw new ProbeError('connect_refused', { cause: last, detail: { error: code, tried } });
}

/**
 * Does `port` complete a TLS handshake? Used only to explain a silent server (implicit-TLS port
 * reached without TLS). Certificates are not checked because nothing is sent: the socket is closed
 * right after the handshake.
 */
export function sniffTls(address: string, port: number, host: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: address,
      port,
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (answer: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.once('secureConnect', () => finish(true));
    socket.on('error', () => finish(false));
  });
}

/**
 * The first line a plaintext server sends on connect ("* OK …", "220 …"), or null. Used only to
 * explain a failed TLS handshake (a STARTTLS or plain port reached with implicit TLS).
 */
export function sniffPlainGreeting(address: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    let text = '';
    const timer = setTimeout(() => finish(), timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const line = text.split(/\r?\n/)[0] ?? '';
      resolve(/^(\* (OK|PREAUTH|BYE)|[2-5]\d\d[ -])/i.test(line) ? line.slice(0, 200) : null);
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\n') || text.length > 512) finish();
    });
    socket.on('error', () => finish());
    socket.on('close', () => finish());
  });
}
