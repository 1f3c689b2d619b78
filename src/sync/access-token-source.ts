import type { MailboxRow } from '../mailboxes/tables.ts';

/**
 * Gives a valid access token for a mailbox bound with auth_kind 'oauth2' (refreshing it when it expires
 * within minValiditySeconds, default 300); safe to call from many places at once.
 *
 * The shared OAuth contract of issue 14: the implementation (and this interface's home) is src/signin/
 * (branch `signin`); it is declared here so the sync engine can take one before that lands. Its errors
 * are SigninError-like: `{ code }` with `oauth_revoked` meaning the grant is gone for good.
 */
export interface AccessTokenSource {
  accessTokenFor(mailbox: MailboxRow, opts?: { minValiditySeconds?: number }): Promise<string>;
}

/** The stable code of a token source's error (SigninError.code), if it has one. */
export function tokenErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
