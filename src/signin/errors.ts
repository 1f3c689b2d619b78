import { DomainError } from '../kernel/index.ts';

/**
 * Token-endpoint and flow failures (the contract in issue 14). Their bilingual fixes live with the other
 * connection-test fixes (src/mailboxes/probe/fixes.ts).
 */
export type SigninErrorCode =
  /** invalid_grant: revoked, password changed, consent removed, account disabled. Permanent. */
  | 'oauth_revoked'
  | 'oauth_consent_required'
  | 'oauth_consent_refused'
  | 'oauth_admin_consent_required'
  | 'oauth_wrong_tenant'
  | 'oauth_redirect_mismatch'
  | 'oauth_client_secret_expired'
  | 'oauth_client_invalid'
  | 'oauth_scope_missing'
  /** No sign-in app is configured for the provider. */
  | 'oauth_app_missing'
  /** Network failure or a 5xx: temporary, back off. */
  | 'oauth_provider_unreachable'
  /** The provider refused with an error we have no better word for (its message is in the details). */
  | 'oauth_provider_error'
  | 'oauth_address_mismatch'
  /** Forged, replayed or expired state (or a flow that is not the caller's). */
  | 'oauth_state_invalid'
  | 'oauth_nonce_invalid'
  /** The ID token failed a check other than its nonce (issuer, audience, expiry, missing email). */
  | 'oauth_id_token_invalid'
  | 'oauth_flow_not_found'
  /** The flow is not in a state that allows this (not signed in yet, already used, wrong purpose). */
  | 'oauth_flow_unusable'
  /** The provider has no device-code flow for mail (Google). */
  | 'oauth_device_unsupported';

export class SigninError extends DomainError<SigninErrorCode> {}

/** Permanent failures: retrying with the same grant cannot help, the user must sign in again. */
export function needsNewSignin(err: unknown): boolean {
  return (
    err instanceof SigninError &&
    (err.code === 'oauth_revoked' || err.code === 'oauth_consent_required' || err.code === 'oauth_app_missing')
  );
}
