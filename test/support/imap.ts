import { ImapFlow } from 'imapflow';
import type { ImapSettings } from '../../src/connectors/imap/client-options.ts';
import { tlsOptionsFor } from '../../src/connectors/tls-policy.ts';
import type { DovecotInstance } from '../harness/index.ts';
import { rawMessage } from './corpus.ts';

/** IMAP around the harness Dovecot: the connector's settings for a user, and a second client's session. */

type ImapServer = Pick<DovecotInstance, 'host' | 'imapsPort' | 'certPem'>;

export function settingsFor(dovecot: ImapServer, username: string, secret: string): ImapSettings {
  return {
    host: dovecot.host,
    port: dovecot.imapsPort,
    security: 'tls',
    username,
    secret,
    pinnedCertPem: dovecot.certPem,
    allowPlaintext: false,
  };
}

/**
 * `count` users added to the harness Dovecot at once, one per test that wants its own mailbox: one wait for
 * Dovecot to see them all, where users added one by one would each wait for its next read of the users file.
 */
export async function addImapUsers(
  dovecot: Pick<DovecotInstance, 'addUsers'>,
  prefix: string,
  count: number,
): Promise<Array<{ user: string; pass: string }>> {
  const users = Array.from({ length: count }, (_, i) => ({ user: `${prefix}${i + 1}@example.test`, pass: `${prefix}-pw-${i + 1}` }));
  await dovecot.addUsers(users.map((u) => ({ email: u.user, password: u.pass })));
  return users;
}

/** Runs `fn` in an independent imapflow session as the user (another mail client), always logged out after. */
export async function asUser<T>(dovecot: ImapServer, user: string, pass: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.imapsPort,
    secure: true,
    tls: tlsOptionsFor(dovecot.host, { pinnedCertPem: dovecot.certPem }),
    auth: { user, pass },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  client.on('error', () => {
    // Reported through the command that fails.
  });
  try {
    await client.connect();
    return await fn(client);
  } catch (err) {
    // imapflow's "Command failed" says nothing; keep what the server answered.
    const e = err as { responseText?: string; executedCommand?: string };
    if (e.responseText) throw new Error(`other session: ${e.executedCommand ?? ''} -> ${e.responseText}`, { cause: err });
    throw err;
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

/**
 * A not yet connected imapflow client of the harness Dovecot, trusting its certificate, signing in with a
 * password or an OAuth access token (XOAUTH2/OAUTHBEARER, whichever the server offers).
 */
export function imapClientOf(dovecot: ImapServer, auth: { user: string; pass?: string; accessToken?: string }): ImapFlow {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.imapsPort,
    secure: true,
    tls: { ca: [dovecot.certPem] },
    auth,
    logger: false,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
  });
  client.on('error', () => {
    // Surfaced through connect()'s rejection.
  });
  return client;
}

/** Signs in with the token; resolves with INBOX's message count, rejects (imapflow's error) when refused. */
export async function inboxCountWithToken(dovecot: ImapServer, user: string, accessToken: string): Promise<number> {
  const client = imapClientOf(dovecot, { user, accessToken });
  try {
    await client.connect();
    const status = await client.status('INBOX', { messages: true });
    return status ? (status.messages ?? 0) : -1;
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

/** Appends `count` of `rawMessage(tag, i)` over one session; returns their bytes in order. */
export async function appendMany(
  dovecot: ImapServer,
  user: string,
  pass: string,
  folder: string,
  tag: string,
  count: number,
  bodyBytes?: number,
): Promise<Buffer[]> {
  const messages = Array.from({ length: count }, (_, i) => rawMessage(tag, i, bodyBytes));
  await asUser(dovecot, user, pass, async (c) => {
    // Queued at once: imapflow sends them back to back, which is several times faster than one by one.
    await Promise.all(messages.map((m) => c.append(folder, m)));
  });
  return messages;
}
