import { afterAll, beforeAll } from 'vitest';
import type { ImapConnectorOptions } from '../../src/connectors/imap/client-options.ts';
import { createImapConnector, type ImapConnector } from '../../src/connectors/imap/index.ts';
import { type DovecotInstance, startDovecot } from '../harness/index.ts';
import { addImapUsers, settingsFor } from './imap.ts';

type ImapUser = { user: string; pass: string };

/**
 * A test file's Dovecot for IMAP connector tests: started before the file with `count` users added up
 * front (Dovecot re-reads its passwd-file by mtime, and a user added in the same second as the previous
 * lookup was sometimes not found yet), and stopped after it with every connector the tests opened closed.
 */
export function imapConnectorFixture(prefix: string, count: number) {
  let dovecot: DovecotInstance | undefined;
  const users: ImapUser[] = [];
  const open: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    users.push(...(await addImapUsers(dovecot, prefix, count)));
  });

  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await dovecot?.stop();
  });

  const fixture = {
    get dovecot(): DovecotInstance {
      if (!dovecot) throw new Error('Dovecot starts in beforeAll');
      return dovecot;
    },
    /** A user no other test had: tests stay independent while sharing one Dovecot. */
    freshUser(): ImapUser {
      const next = users.shift();
      if (!next) throw new Error(`more than ${count} users taken: add more`);
      return next;
    },
    /** Closed after the file. */
    closeAfter<C extends { close(): Promise<void> }>(connector: C): C {
      open.push(connector);
      return connector;
    },
    connectorFor(user: string, pass: string, opts: ImapConnectorOptions = {}): ImapConnector {
      return fixture.closeAfter(createImapConnector(settingsFor(fixture.dovecot, user, pass), opts));
    },
  };
  return fixture;
}
