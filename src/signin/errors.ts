import { DomainError } from '../kernel/index.ts';
import type { OAuthTokenFailureCode } from '../mailboxes/probe/index.ts';

/**
 * Token-endpoint and flow failures (the contract in issue 14): the connection test's token-stage codes,
 * listed once with their meanings beside their bilingual fixes (src/mailboxes/probe/types.ts, fixes.ts).
 */
export type SigninErrorCode = OAuthTokenFailureCode;

export class SigninError extends DomainError<SigninErrorCode> {}
