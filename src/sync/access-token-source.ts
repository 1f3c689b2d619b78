import type { MailboxRow } from '../mailboxes/tables.ts';

/**
 * Gives a valid access token for a mailbox bound with auth_kind 'oauth2' (refreshing it when it expires
 * within minValiditySeconds, default 300); safe to call from many places at once.
 *
 * src/signin's createAccessTokenSource implements it; the sync engine declares only what it uses, so it
 * does not depend on the sign-in module. Its errors are SigninError-like: `{ code }`, with `oauth_revoked`
 * meaning the grant is gone for good.
 */
export interface AccessTokenSource {
  accessTokenFor(mailbox: MailboxRow, opts?: { minValiditySeconds?: number }): Promise<string>;
}

/** The stable code of a token source's error (SigninError.code), if it has one. */
export function tokenErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
