import { createImapConnector, type ImapConnectorOptions } from '../connectors/imap/index.ts';
import { DomainError } from '../kernel/index.ts';
import type { MailConnector } from '../connectors/types.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { Vault } from '../vault/index.ts';
import { assertSyncHostAllowed, type SyncHostCheck } from './mail-host-check.ts';

/** Builds a (not yet connected) connector for a mailbox. Injected so tests and other protocols can swap it. */
export type ConnectorFactory = (mailbox: MailboxRow) => Promise<MailConnector>;

/** A mailbox the runner cannot connect for until someone fixes its settings: it needs attention. */
export class SyncSetupError extends DomainError<'no_secret'> {}

/**
 * IMAP connectors with the mailbox's secret from the vault and its pinned certificate. `connector`
 * passes options through (tests use it to act as a server without QRESYNC).
 */
export function imapConnectorFactory(opts: {
  vault: Vault;
  extraCaPems?: string[];
  connector?: ImapConnectorOptions;
  hostCheck: SyncHostCheck;
}): ConnectorFactory {
  return async (mailbox) => {
    if (!mailbox.secret_id) throw new SyncSetupError('no_secret', 'The mailbox has no stored password or authorization code.');
    await assertSyncHostAllowed(mailbox, opts.hostCheck);
    return createImapConnector(
      {
        host: mailbox.imap_host,
        port: mailbox.imap_port,
        security: mailbox.imap_security,
        username: mailbox.username,
        secret: await opts.vault.reveal(mailbox.secret_id),
        pinnedCertPem: mailbox.imap_pinned_cert,
        extraCaPems: opts.extraCaPems ?? [],
        allowPlaintext: mailbox.allow_plaintext,
      },
      opts.connector,
    );
  };
}
