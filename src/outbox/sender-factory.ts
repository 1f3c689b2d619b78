import { findProviderById } from '../mailboxes/catalogue/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { AccessTokenSource } from '../sync/access-token-source.ts';
import type { Vault } from '../vault/index.ts';
import { SendError } from './errors.ts';
import type { MailSender } from './sender-types.ts';
import { createSmtpSender } from './smtp-sender.ts';
import { createEwsSender } from '../connectors/ews/ews-sender.ts';
import { createGraphSender } from '../connectors/graph/graph-sender.ts';

/** Builds a (not yet connected) sender for a mailbox. Injected so tests can swap it. */
export type SenderFactory = (mailbox: MailboxRow) => Promise<MailSender>;

export interface SenderFactoryDeps {
  vault: Vault;
  tokens?: AccessTokenSource;
  extraCaPems?: string[];
  /** The connect-time host policy (sync/mail-host-check.ts), asked about the SMTP host. */
  checkHost: (mailbox: MailboxRow) => Promise<void>;
}

/** Whether the provider's SMTP server files the Sent copy itself (catalogue `sending.savesSentCopy`). */
export function providerSavesSentCopy(mailbox: Pick<MailboxRow, 'provider_id'>): boolean {
  return findProviderById(mailbox.provider_id)?.sending?.savesSentCopy === true;
}

/**
 * Microsoft Graph (sendMail) or EWS (CreateItem SendAndSaveCopy) for mailboxes read over them: both save
 * the Sent copy themselves. Graph signs in with the mailbox's token (a refused one is renewed once), EWS
 * with the stored password, each to the server and pinned certificate sync uses.
 */
async function apiSender(deps: SenderFactoryDeps, mailbox: MailboxRow): Promise<MailSender> {
  if (!mailbox.api_url) throw new SendError('send_rejected', 'The mailbox has no server address to send with.', { temporary: false });
  await deps.checkHost(mailbox).catch((cause: Error) => {
    throw new SendError('send_rejected', cause.message, { temporary: false, cause });
  });
  const tls = { pinnedCertPem: mailbox.imap_pinned_cert, extraCaPems: deps.extraCaPems ?? [] };
  if (mailbox.protocol === 'graph') {
    const tokens = deps.tokens;
    if (!tokens) throw new SendError('send_auth_failed', 'Signing in with OAuth is not set up on this server.', { temporary: false });
    let renew = false;
    return createGraphSender({
      ...tls,
      baseUrl: mailbox.api_url,
      user: 'me',
      getAccessToken: () => {
        const forced = renew;
        renew = false;
        return tokens.accessTokenFor(mailbox, forced ? { minValiditySeconds: Number.MAX_SAFE_INTEGER } : undefined);
      },
      onAuthFailure: () => {
        renew = true;
      },
    });
  }
  if (!mailbox.secret_id) throw new SendError('send_auth_failed', 'The mailbox has no stored password.', { temporary: false });
  return createEwsSender({
    ...tls,
    url: mailbox.api_url,
    username: mailbox.username,
    password: await deps.vault.reveal(mailbox.secret_id),
    allowPlaintext: mailbox.allow_plaintext,
  });
}

/**
 * The sender for a mailbox by its protocol. IMAP mailboxes send over their SMTP server with their own
 * credentials (password, authorization code, app password from the vault; XOAUTH2 with a token).
 */
export function mailSenderFactory(deps: SenderFactoryDeps): SenderFactory {
  return async (mailbox) => {
    if (mailbox.protocol === 'graph' || mailbox.protocol === 'ews') return apiSender(deps, mailbox);
    if (!mailbox.smtp_host || !mailbox.smtp_port || !mailbox.smtp_security) {
      throw new SendError('send_rejected', 'The mailbox has no SMTP server to send with: add one in the mailbox settings.', {
        temporary: false,
      });
    }
    // The policy check reads imap_host: ask it about the server this connection goes to.
    await deps.checkHost({ ...mailbox, imap_host: mailbox.smtp_host }).catch((cause: Error) => {
      throw new SendError('send_rejected', cause.message, { temporary: false, cause });
    });
    const common = {
      host: mailbox.smtp_host,
      port: mailbox.smtp_port,
      security: mailbox.smtp_security,
      username: mailbox.username,
      pinnedCertPem: mailbox.smtp_pinned_cert,
      extraCaPems: deps.extraCaPems,
      allowPlaintext: mailbox.allow_plaintext,
      savesSentCopy: providerSavesSentCopy(mailbox),
    };
    if (mailbox.auth_kind === 'oauth2') {
      const tokens = deps.tokens;
      if (!tokens) throw new SendError('send_auth_failed', 'Signing in with OAuth is not set up on this server.', { temporary: false });
      return createSmtpSender({
        ...common,
        getAccessToken: (renew) => tokens.accessTokenFor(mailbox, renew ? { minValiditySeconds: Number.MAX_SAFE_INTEGER } : undefined),
      });
    }
    if (!mailbox.secret_id) {
      throw new SendError('send_auth_failed', 'The mailbox has no stored password or authorization code.', { temporary: false });
    }
    return createSmtpSender({ ...common, secret: await deps.vault.reveal(mailbox.secret_id) });
  };
}
