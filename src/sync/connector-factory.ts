import { createEwsConnector } from '../connectors/ews/index.ts';
import { createGraphConnector } from '../connectors/graph/index.ts';
import { createImapConnector, type ImapConnectorOptions } from '../connectors/imap/index.ts';
import { DomainError } from '../kernel/index.ts';
import { ConnectorError, type MailConnector } from '../connectors/types.ts';
import { type AccessTokenSource, needsNewSignin, type NeedsNewSigninCode, tokenErrorCode } from './access-token-source.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { Vault } from '../vault/index.ts';

/** Builds a (not yet connected) connector for a mailbox. Injected so tests and other protocols can swap it. */
export type ConnectorFactory = (mailbox: MailboxRow) => Promise<MailConnector>;

export type SyncSetupErrorCode = 'no_secret' | 'no_token_source' | NeedsNewSigninCode;

/**
 * A mailbox the runner cannot connect for until someone acts: it needs attention. The message starts
 * with the code ("oauth_revoked: …"), so the mailbox's status_reason keeps it for the UI's "Sign in again".
 */
export class SyncSetupError extends DomainError<SyncSetupErrorCode> {
  constructor(code: SyncSetupErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, `${code}: ${message}`, options);
  }
}

/** Mailboxes whose last token the IMAP server refused. */
type RefusedTokens = Set<string>;

/** What the mailbox's status says when its sign-in cannot give tokens until someone acts. */
const SIGN_IN_AGAIN: Record<NeedsNewSigninCode, string> = {
  oauth_revoked:
    "The provider no longer accepts this mailbox's sign-in (access revoked, password changed or consent removed): sign in again.",
};

/**
 * The token getter for an OAuth mailbox. A failure only a new sign-in mends (NEEDS_NEW_SIGNIN: a revoked
 * grant) needs attention; any other failure to get a token (provider
 * unreachable, 5xx, …) is a connection failure: back off.
 */
function tokenGetter(tokens: AccessTokenSource, mailbox: MailboxRow, refuse: RefusedTokens): () => Promise<string> {
  return async () => {
    try {
      // After the server refused a token, do not offer it again: ask for a new one (a revoked grant then
      // shows as oauth_revoked at once instead of as repeated login refusals).
      const forced = refuse.delete(mailbox.id);
      return await tokens.accessTokenFor(mailbox, forced ? { minValiditySeconds: Number.MAX_SAFE_INTEGER } : undefined);
    } catch (cause) {
      const code = tokenErrorCode(cause);
      if (needsNewSignin(code)) throw new SyncSetupError(code, SIGN_IN_AGAIN[code], { cause });
      throw new ConnectorError('connect_failed', `could not get an access token (${code ?? 'error'})`, {}, { cause });
    }
  };
}

/**
 * Connectors for each mailbox by its protocol (IMAP, Microsoft Graph, EWS), with the mailbox's secret
 * from the vault and its pinned certificate. A mailbox bound with OAuth (auth_kind 'oauth2') signs in with
 * a token from `tokens`, fetched afresh for every connection. `connector` passes options through to IMAP
 * (tests use it to act as a server without QRESYNC).
 */
export function mailConnectorFactory(opts: {
  vault: Vault;
  tokens?: AccessTokenSource;
  extraCaPems?: string[];
  connector?: ImapConnectorOptions;
  /** Refuses a host the mailbox may no longer reach (mail-host-check.ts's syncHostChecker). */
  checkHost: (mailbox: MailboxRow) => Promise<void>;
}): ConnectorFactory {
  const refused: RefusedTokens = new Set();
  const tokenSource = (mailbox: MailboxRow) => {
    if (!opts.tokens) throw new SyncSetupError('no_token_source', 'Signing in with OAuth is not set up on this server.');
    return tokenGetter(opts.tokens, mailbox, refused);
  };
  return async (mailbox) => {
    if (mailbox.auth_kind !== 'oauth2' && !mailbox.secret_id) {
      throw new SyncSetupError('no_secret', 'The mailbox has no stored password or authorization code.');
    }
    await opts.checkHost(mailbox);
    const tls = { pinnedCertPem: mailbox.imap_pinned_cert, extraCaPems: opts.extraCaPems ?? [] };
    if (mailbox.protocol === 'graph') {
      return createGraphConnector({
        ...tls,
        baseUrl: mailbox.api_url as string,
        user: 'me',
        getAccessToken: tokenSource(mailbox),
        onAuthFailure: () => refused.add(mailbox.id),
        maxMessageBytes: opts.connector?.maxMessageBytes,
      });
    }
    if (mailbox.protocol === 'ews') {
      return createEwsConnector({
        ...tls,
        url: mailbox.api_url as string,
        username: mailbox.username,
        password: await opts.vault.reveal(mailbox.secret_id as string),
        allowPlaintext: mailbox.allow_plaintext,
        maxMessageBytes: opts.connector?.maxMessageBytes,
      });
    }
    const server = {
      host: mailbox.imap_host,
      port: mailbox.imap_port,
      security: mailbox.imap_security,
      username: mailbox.username,
      ...tls,
      allowPlaintext: mailbox.allow_plaintext,
    };
    if (mailbox.auth_kind === 'oauth2') {
      const getAccessToken = tokenSource(mailbox);
      const connectorOpts: ImapConnectorOptions = {
        ...opts.connector,
        onAuthFailure: (err) => {
          refused.add(mailbox.id);
          opts.connector?.onAuthFailure?.(err);
        },
      };
      return createImapConnector({ ...server, secret: '', getAccessToken }, connectorOpts);
    }
    return createImapConnector({ ...server, secret: await opts.vault.reveal(mailbox.secret_id as string) }, opts.connector);
  };
}
