import { DomainError } from '../kernel/index.ts';

/**
 * What can go wrong in signing in, sessions, tokens, two-factor and user administration. Each code has
 * one meaning and so one HTTP status: a wrong password at sign-in (`invalid_credentials`) is not the
 * same answer as a wrong password when confirming a change (`wrong_password`).
 */
export type AuthErrorCode =
  | 'invalid_token'
  | 'csrf_failed'
  | 'invalid_credentials'
  | 'account_deactivated'
  | 'totp_required'
  | 'totp_invalid'
  | 'too_many_attempts'
  | 'two_factor_not_started'
  | 'two_factor_code_required'
  | 'two_factor_code_rejected'
  | 'token_read_only'
  | 'wrong_password'
  | 'email_taken'
  | 'cannot_demote_self'
  | 'setup_done';

export class AuthError extends DomainError<AuthErrorCode> {}
