import net from 'node:net';

// Dovecot treats a connection whose client address equals its local address as secure, so on
// 127.0.0.1 → 127.0.0.1 it would accept LOGIN without STARTTLS and `disable_plaintext_auth` could
// never be tested. The plain port is therefore this byte-for-byte proxy, which reaches Dovecot from
// 127.0.0.2: Dovecot then sees a remote client and enforces STARTTLS exactly as in production.
const PROXY_SOURCE_ADDRESS = '127.0.0.2';

export interface PlainProxy {
  port: number;
  close(): Promise<void>;
}

export function startPlainProxy(port: number, backendPort: number): Promise<PlainProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect({ host: '127.0.0.1', port: backendPort, localAddress: PROXY_SOURCE_ADDRESS });
    track(upstream);
    upstream.setTimeout(10_000, () => {
      if (upstream.connecting) upstream.destroy();
    });
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', () => {
        // A listening server only errors on fatal conditions; connections carry their own handlers.
      });
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
