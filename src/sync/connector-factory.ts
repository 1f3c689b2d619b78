import { createImapConnector, type ImapConnectorOptions } from '../connectors/imap/index.ts';
import { DomainError } from '../kernel/index.ts';
import type { MailConnector } from '../connectors/types.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { Vault } from '../vault/index.ts';
import { SigninError, type AccessTokenSource } from '../signin/index.ts';

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
  tokens?: AccessTokenSource;
  extraCaPems?: string[];
  connector?: ImapConnectorOptions;
}): ConnectorFactory {
  return async (mailbox) => {
    if (mailbox.auth_kind === 'oauth2') {
      if (!opts.tokens) throw new SigninError('oauth_app_missing', 'OAuth mailboxes cannot be synced in this process.');
      // SigninError('oauth_revoked') puts the mailbox in needs_attention; 'oauth_provider_unreachable' backs off.
      // TODO(oauth-harness): a connection re-opened after the token expired needs a fresh token (the connector asks per login).
      const accessToken = await opts.tokens.accessTokenFor(mailbox);
      return createImapConnector(
        {
          host: mailbox.imap_host,
          port: mailbox.imap_port,
          security: mailbox.imap_security,
          username: mailbox.username,
          secret: '',
          accessToken,
          pinnedCertPem: mailbox.imap_pinned_cert,
          extraCaPems: opts.extraCaPems ?? [],
          allowPlaintext: mailbox.allow_plaintext,
        },
        opts.connector,
      );
    }
    if (!mailbox.secret_id) throw new SyncSetupError('no_secret', 'The mailbox has no stored password or authorization code.');
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
