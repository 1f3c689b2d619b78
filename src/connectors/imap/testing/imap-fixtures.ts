import { ImapFlow } from 'imapflow';
import type { DovecotInstance } from '../../../../test/harness/index.ts';
import { tlsOptionsFor } from '../../tls-policy.ts';
import type { ImapSettings } from '../client-options.ts';

/** Test and bench helpers around the harness Dovecot: settings, a second session, message factory. */

export function settingsFor(dovecot: DovecotInstance, username: string, secret: string): ImapSettings {
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

/** Runs `fn` in an independent imapflow session (the "other client"), always logged out after. */
export async function withOtherSession<T>(dovecot: DovecotInstance, user: string, pass: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.imapsPort,
    secure: true,
    tls: tlsOptionsFor(dovecot.host, { pinnedCertPem: dovecot.certPem }),
    auth: { user, pass },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 20_000,
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

/** A small CRLF message whose bytes Dovecot hands back unchanged. */
export function rawMessage(tag: string, i: number, bodyBytes = 200): Buffer {
  const body = `Body of ${tag} ${i}\r\n${'0123456789abcdef'.repeat(Math.ceil(bodyBytes / 16)).slice(0, bodyBytes)}\r\n`;
  return Buffer.from(
    [
      'From: Alice <alice@example.test>',
      'To: Bob <bob@example.test>',
      `Subject: ${tag} ${i}`,
      `Message-ID: <${tag}.${i}@example.test>`,
      'Date: Mon, 01 Jun 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
    ].join('\r\n'),
  );
}

/** Appends `count` messages over one session; returns their bytes in order. */
export async function appendMany(dovecot: DovecotInstance, user: string, pass: string, folder: string, tag: string, count: number, bodyBytes?: number): Promise<Buffer[]> {
  const messages = Array.from({ length: count }, (_, i) => rawMessage(tag, i, bodyBytes));
  await withOtherSession(dovecot, user, pass, async (c) => {
    // Queued at once: imapflow sends them back to back, which is several times faster than one by one.
    await Promise.all(messages.map((m) => c.append(folder, m)));
  });
  return messages;
}
