import { ImapFlow } from 'imapflow';
import { HarnessError } from './errors.ts';

export interface MasterLogin {
  port: number;
  /** Trust roots for the server certificate (the self-signed cert itself, or the CA). */
  ca: string[];
  user: string;
  masterUser: string;
  masterPassword: string;
}

/**
 * Runs `fn` in an IMAPS session logged in as `user` through Dovecot's master user, so the harness
 * can act on any mailbox without knowing its password. Always logs out or closes.
 */
export async function withMasterSession<T>(login: MasterLogin, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: login.port,
    secure: true,
    tls: { ca: login.ca },
    auth: { user: `${login.user}*${login.masterUser}`, pass: login.masterPassword },
    logger: false,
    clientInfo: { name: 'tidings-test-harness' },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    disableAutoIdle: true,
  });
  let lastError: unknown;
  client.on('error', (err: unknown) => {
    lastError = err;
  });
  try {
    await client.connect();
    return await fn(client);
  } catch (cause) {
    throw new HarnessError('IMAP_ADMIN_FAILED', `harness IMAP session for ${login.user} failed`, {
      cause: cause ?? lastError,
    });
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}
