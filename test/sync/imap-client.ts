import { ImapFlow } from 'imapflow';
import type { DovecotInstance } from '../harness/index.ts';

/** A second IMAP session as the user (another mail client), always logged out. */
export async function asUser<T>(dovecot: DovecotInstance, user: string, pass: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1', port: dovecot.imapsPort, secure: true, tls: { ca: [dovecot.certPem] }, auth: { user, pass },
    logger: false, connectionTimeout: 10_000, socketTimeout: 30_000, disableAutoIdle: true,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}
