import type net from 'node:net';
import tls from 'node:tls';
import { ProbeError } from './probe-error.ts';
import type { Transcript } from './transcript.ts';

/** A line or literal longer than this is not a mail server talking to us. */
const MAX_BUFFER_BYTES = 1024 * 1024;

export class WireTimeout extends Error {
  constructor(readonly what: string) {
    super(`timed out waiting for ${what}`);
    this.name = 'WireTimeout';
  }
}

export class WireClosed extends Error {
  constructor(
    readonly why: string,
    options?: { cause?: unknown },
  ) {
    super(`connection closed: ${why}`, options);
    this.name = 'WireClosed';
  }
}

/**
 * A CRLF line reader/writer over a socket that can be upgraded to TLS in place (STARTTLS). It keeps
 * the transcript: every line read is logged as "S:", every line written as "C:" with the text the
 * caller chose to show (commands carrying secrets show "***").
 */
export class Wire {
  private socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private closedBy: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  };
  private readonly onEnd = (): void => this.fail(new WireClosed('the server closed the connection'));
  private readonly onError = (err: Error): void => this.fail(new WireClosed(err.message, { cause: err }));

  constructor(
    socket: net.Socket,
    readonly transcript: Transcript,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  get current(): net.Socket {
    return this.socket;
  }

  /** Reads one line without its CRLF (a bare LF is accepted too). */
  async readLine(timeoutMs: number, what = 'a reply', opts: { record?: boolean } = {}): Promise<string> {
    const bytes = await this.readUntil(
      () => {
        const at = this.buffer.indexOf(0x0a);
        return at < 0 ? -1 : at + 1;
      },
      timeoutMs,
      what,
    );
    const line = bytes.toString('utf8').replace(/\r?\n$/, '');
    if (opts.record !== false) this.transcript.server(line);
    return line;
  }

  /** Reads exactly `count` bytes (an IMAP literal); not logged, the caller logs the assembled line. */
  readBytes(count: number, timeoutMs: number): Promise<Buffer> {
    if (count > MAX_BUFFER_BYTES) throw new ProbeError('protocol_error', { params: { why: `literal of ${count} bytes` } });
    return this.readUntil(() => (this.buffer.length >= count ? count : -1), timeoutMs, 'literal data');
  }

  writeLine(line: string, shown: string = line): void {
    if (this.closedBy) throw this.closedBy;
    this.transcript.client(shown);
    this.socket.write(`${line}\r\n`);
  }

  /** True when the server sent bytes we have not read (must be false before a STARTTLS upgrade). */
  hasBufferedData(): boolean {
    return this.buffer.length > 0;
  }

  /**
   * Starts TLS over the current socket. Resolves on the handshake whatever the certificate verdict;
   * the caller inspects `authorized` and decides (see tls-inspect.ts).
   */
  upgrade(options: tls.ConnectionOptions, timeoutMs: number): Promise<tls.TLSSocket> {
    const plain = this.socket;
    this.detach(plain);
    const secure = tls.connect({ ...options, socket: plain });
    this.socket = secure;
    this.attach(secure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new WireTimeout('the TLS handshake')), timeoutMs);
      const done = (err?: Error): void => {
        clearTimeout(timer);
        secure.off('secureConnect', onSecure);
        secure.off('error', onFail);
        secure.off('close', onClose);
        if (err) reject(err);
        else resolve(secure);
      };
      const onSecure = (): void => done();
      const onFail = (err: Error): void => done(err);
      const onClose = (): void => done(new WireClosed('the server closed the connection during the TLS handshake'));
      secure.once('secureConnect', onSecure);
      secure.once('error', onFail);
      secure.once('close', onClose);
    });
  }

  destroy(): void {
    this.closedBy ??= new WireClosed('closed by the probe');
    this.socket.destroy();
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    // A listener stays so a late error on the raw socket never becomes an uncaught exception.
    socket.off('error', this.onError);
    socket.on('error', () => undefined);
  }

  private fail(err: Error): void {
    this.closedBy ??= err;
    this.wake?.();
  }

  /** Waits until `cut()` returns how many bytes to take from the buffer. */
  private async readUntil(cut: () => number, timeoutMs: number, what: string): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = cut();
      if (n >= 0) {
        const out = this.buffer.subarray(0, n);
        this.buffer = this.buffer.subarray(n);
        return out;
      }
      if (this.buffer.length > MAX_BUFFER_BYTES) {
        throw new ProbeError('protocol_error', { params: { why: 'a reply line longer than 1 MB' } });
      }
      if (this.closedBy) throw this.closedBy;
      const left = deadline - Date.now();
      if (left <= 0) throw new WireTimeout(what);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = undefined;
          resolve();
        }, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }
}
