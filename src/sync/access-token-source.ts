import type { MailboxRow } from '../mailboxes/tables.ts';

/**
 * Gives a valid access token for a mailbox bound with auth_kind 'oauth2' (refreshing it when it expires
 * within minValiditySeconds, default 300); safe to call from many places at once.
 *
 * src/signin's createAccessTokenSource implements it; the sync engine declares what it uses, so it does
 * not depend on the sign-in module. Its errors are SigninError-like: `{ code }`, where the codes in
 * NEEDS_NEW_SIGNIN are permanent (only a new sign-in mends them) and any other may pass.
 */
export interface AccessTokenSource {
  accessTokenFor(mailbox: MailboxRow, opts?: { minValiditySeconds?: number }): Promise<string>;
}

/** Token failures that retrying with the same grant cannot mend: the mailbox waits for "Sign in again". */
export const NEEDS_NEW_SIGNIN = ['oauth_revoked'] as const;
export type NeedsNewSigninCode = (typeof NEEDS_NEW_SIGNIN)[number];

/** The stable code of a token source's error (SigninError.code), if it has one. */
export function tokenErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function needsNewSignin(code: string | undefined): code is NeedsNewSigninCode {
  return (NEEDS_NEW_SIGNIN as readonly (string | undefined)[]).includes(code);
}
