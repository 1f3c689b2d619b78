import { loadConfig } from '../../src/app/config.ts';
import { ensureWebBuild } from '../../src/app/ensure-web-build.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import type { DovecotInstance } from '../harness/index.ts';
import { HttpSession } from './http-session.ts';
import { waitFor } from './wait.ts';

export { HttpSession };

/**
 * For operations tests, which stop a server and start another on the same data (a move, a restore):
 * the real server on a data dir and database the test owns and cleans up itself.
 */
export async function startServerOn(opts: {
  dataDir: string;
  databaseUrl?: string | null;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  await ensureWebBuild();
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      TIDINGS_DATA_DIR: opts.dataDir,
      LOG_LEVEL: 'warn',
      TIDINGS_ALLOW_LOCAL_MAIL_HOSTS: 'true',
      ...opts.env,
    },
    { databaseUrl: opts.databaseUrl ?? null },
  );
  return startServer(config, { log: createLogger('warn') });
}

/** Binds a Dovecot user's INBOX through the API (certificate pinned, as the wizard does); returns its id. */
export async function bindDovecotMailbox(session: HttpSession, dovecot: DovecotInstance, user: string, password: string): Promise<string> {
  const bound = await session.json('/api/v1/mailboxes', {
    method: 'POST',
    body: {
      email: user,
      imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' },
      password,
      trustedCertificates: { imap: dovecot.fingerprint256 },
      syncFolders: ['INBOX'],
    },
  });
  return bound.mailbox.id as string;
}

/** Waits until the message list holds at least `n` messages; returns their subjects, sorted. */
export async function waitForMessages(session: HttpSession, n: number, ms = 60_000): Promise<string[]> {
  return waitFor(
    `${n} messages through the API`,
    async () => {
      const { items } = await session.json<{ items: Array<{ subject: string }> }>('/api/v1/messages?limit=100');
      return items.length >= n && items.map((m) => m.subject).sort();
    },
    ms,
  );
}

/** What an operations test compares before and after: the mail, a contact and a company with their timelines. */
export interface WorldView {
  subjects: string[];
  contact: unknown;
  company: unknown;
  contactTimeline: unknown;
  companyTimeline: unknown;
}

/**
 * A company and a contact, then a bound Dovecot mailbox whose three messages come from the contact
 * (fixtures 0, 7 and 14 share zhang.wei0@example.cn) and are imported: mail, CRM rows and a timeline.
 */
export async function seedWorld(
  session: HttpSession,
  dovecot: DovecotInstance,
  user: string,
  password: string,
  messages: Buffer[],
): Promise<{ mailboxId: string; contactId: string; companyId: string }> {
  const company = (await session.json('/api/v1/companies', { method: 'POST', body: { name: 'Example Inc', domains: ['example.cn'] } }))
    .company;
  const contact = (
    await session.json('/api/v1/contacts', { method: 'POST', body: { name: 'Sender Zero', emails: ['zhang.wei0@example.cn'] } })
  ).contact;
  await dovecot.addUser(user, password);
  for (const raw of messages) await dovecot.append(user, 'INBOX', raw);
  const mailboxId = await bindDovecotMailbox(session, dovecot, user, password);
  await waitForMessages(session, messages.length);
  await waitFor('the contact’s timeline to show the mail', async () => {
    const page = await session.json<{ items: unknown[] }>(`/api/v1/contacts/${contact.id}/timeline`);
    return page.items.length >= messages.length;
  });
  return { mailboxId, contactId: contact.id, companyId: company.id };
}

export async function readWorld(session: HttpSession, ids: { contactId: string; companyId: string }): Promise<WorldView> {
  const { items } = await session.json<{ items: Array<{ subject: string }> }>('/api/v1/messages?limit=100');
  return {
    subjects: items.map((m) => m.subject).sort(),
    contact: await session.json(`/api/v1/contacts/${ids.contactId}`),
    company: await session.json(`/api/v1/companies/${ids.companyId}`),
    contactTimeline: await session.json(`/api/v1/contacts/${ids.contactId}/timeline`),
    companyTimeline: await session.json(`/api/v1/companies/${ids.companyId}/timeline`),
  };
}

/**
 * An operations test's starting point: a server on the given data, with the world seeded (seedWorld) and
 * read (readWorld); `whileRunning` does what must happen before the server stops (read bytes, take a backup).
 */
export async function seededServerWorld<T = undefined>(
  server: Parameters<typeof startServerOn>[0],
  seed: { dovecot: DovecotInstance; user: string; password: string; messages: Buffer[] },
  whileRunning?: (admin: HttpSession) => Promise<T>,
): Promise<{ ids: { contactId: string; companyId: string }; before: WorldView; extra: T | undefined }> {
  const running = await startServerOn(server);
  try {
    const admin = await HttpSession.setup(running.url);
    const ids = await seedWorld(admin, seed.dovecot, seed.user, seed.password, seed.messages);
    const before = await readWorld(admin, ids);
    return { ids, before, extra: await whileRunning?.(admin) };
  } finally {
    await running.stop();
  }
}
