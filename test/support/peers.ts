import net from 'node:net';
import tls from 'node:tls';

/** A loopback server for probe tests; `close()` ends every connection it accepted. */
export interface TestPeer {
  port: number;
  /** Commands received, one per line, as the peer saw them. */
  received: string[];
  close(): Promise<void>;
}

export interface ScriptedImapOptions {
  /** The first line, without CRLF: '* OK [CAPABILITY IMAP4rev1] ready'. */
  greeting: string;
  /** Answers one command ('LOGIN "u" "p"', without the tag) with whole lines; `tag` starts the tagged one. */
  reply: (tag: string, command: string) => string[];
  /** Serve implicit TLS with this certificate. */
  tls?: { certPem: string; keyPem: string };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function peer(server: net.Server, sockets: Set<net.Socket>, received: string[], port: number): TestPeer {
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An IMAP server that says exactly what the test scripts: for provider replies we cannot reach. */
export async function startScriptedImapPeer(opts: ScriptedImapOptions): Promise<TestPeer> {
  const sockets = new Set<net.Socket>();
  const received: string[] = [];
  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(`${opts.greeting}\r\n`);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const [tag = '', ...rest] = line.split(' ');
        const command = rest.join(' ');
        received.push(command);
        const lines = /^LOGOUT$/i.test(command) ? ['* BYE bye', `${tag} OK LOGOUT completed`] : opts.reply(tag, command);
        socket.write(lines.map((l) => `${l}\r\n`).join(''));
        if (/^LOGOUT$/i.test(command)) socket.end();
      }
    });
  };
  const server = opts.tls
    ? tls.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, onConnection)
    : net.createServer(onConnection);
  server.on('tlsClientError', () => undefined);
  return peer(server, sockets, received, await listen(server));
}

/** Accepts connections and never says a word (a wedged server, or a firewall that accepts and drops). */
export async function startSilentPeer(): Promise<TestPeer> {
  const sockets = new Set<net.Socket>();
  const received: string[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => received.push(chunk.toString('latin1')));
  });
  return peer(server, sockets, received, await listen(server));
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
