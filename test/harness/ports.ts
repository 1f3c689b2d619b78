import net from 'node:net';

/** Returns a currently free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once a TCP connection to 127.0.0.1:port succeeds, polling until `deadline` (ms epoch). */
export async function waitForPort(port: number, deadline: number, isDead: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !isDead()) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setTimeout(500);
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 15));
  }
  return false;
}

/** Resolves once nothing accepts connections on 127.0.0.1:port any more (or after `ms`). */
export async function waitForPortClosed(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await waitForPort(port, Date.now() + 1, () => false);
    if (!open) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
