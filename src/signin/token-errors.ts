import type { SigninErrorCode } from './errors.ts';

/**
 * What an OAuth error answer means, as one of our codes. Pure: the input is what the token endpoint (or
 * the authorization redirect) said; the fixtures in token-errors.test.ts are real answers of Google and
 * Microsoft. Microsoft's AADSTS number is the precise word (its `error` is often a generic
 * invalid_grant / invalid_request), so it is read first, then Microsoft's `suberror`, then the `error`.
 */
export interface OAuthErrorAnswer {
  /** HTTP status of the token endpoint; absent for an authorization redirect's error. */
  status?: number;
  error?: string;
  error_description?: string;
  error_codes?: number[];
  suberror?: string;
}

const AADSTS: Record<number, SigninErrorCode> = {
  // Consent
  65001: 'oauth_consent_required', // the user or administrator has not consented to the application
  65004: 'oauth_consent_refused', // the user declined to consent
  90094: 'oauth_admin_consent_required', // the grant requires admin permission
  90095: 'oauth_admin_consent_required', // admin consent workflow: a request was sent to the admin
  65002: 'oauth_admin_consent_required', // consent between first-party apps must be configured by an admin
  50076: 'oauth_consent_required', // MFA required (interaction)
  50079: 'oauth_consent_required', // MFA registration required
  50158: 'oauth_consent_required', // external security challenge not satisfied
  // Wrong tenant / account kind
  50020: 'oauth_wrong_tenant', // user from another identity provider does not exist in this tenant
  90072: 'oauth_wrong_tenant', // the account does not exist in the tenant, must be added as an external user
  50034: 'oauth_wrong_tenant', // the user account does not exist in the directory
  500200: 'oauth_wrong_tenant', // a personal Microsoft account cannot sign in to this app
  90130: 'oauth_wrong_tenant', // the application is not supported over the /common or /consumers endpoints
  // The app registration
  50011: 'oauth_redirect_mismatch', // the redirect URI does not match the registered ones
  500112: 'oauth_redirect_mismatch', // the reply address does not match
  500113: 'oauth_redirect_mismatch', // no reply address registered
  7000222: 'oauth_client_secret_expired', // the client secret keys are expired
  7000215: 'oauth_client_invalid', // invalid client secret provided
  7000218: 'oauth_client_invalid', // client_assertion or client_secret required (public client flag off)
  700016: 'oauth_client_invalid', // application not found in the directory
  700025: 'oauth_client_invalid', // client is public, a secret must not be sent
  70011: 'oauth_scope_missing', // invalid scope
  650057: 'oauth_scope_missing', // invalid resource: the app lacks the permission
  // The grant is gone
  50173: 'oauth_revoked', // grant revoked (password changed or reset)
  700082: 'oauth_revoked', // refresh token expired due to inactivity
  70008: 'oauth_revoked', // refresh token or code expired
  70043: 'oauth_revoked', // refresh token expired by sign-in frequency (conditional access)
  54005: 'oauth_revoked', // the authorization code was already redeemed
  50057: 'oauth_revoked', // the user account is disabled
  50053: 'oauth_revoked', // the account is locked
  50055: 'oauth_revoked', // the password is expired
  700084: 'oauth_revoked', // a SPA refresh token past its lifetime
  // Microsoft is having trouble
  90033: 'oauth_provider_unreachable', // a transient error
  90036: 'oauth_provider_unreachable',
  50196: 'oauth_provider_unreachable', // the server stopped a loop of requests (retry later)
};

const ERRORS: Record<string, SigninErrorCode> = {
  invalid_grant: 'oauth_revoked',
  consent_required: 'oauth_consent_required',
  interaction_required: 'oauth_consent_required',
  login_required: 'oauth_consent_required',
  access_denied: 'oauth_consent_refused',
  admin_policy_enforced: 'oauth_admin_consent_required', // Google Workspace: the admin blocked the app or scope
  org_internal: 'oauth_wrong_tenant', // Google: an internal app used with an account outside the organisation
  redirect_uri_mismatch: 'oauth_redirect_mismatch',
  invalid_client: 'oauth_client_invalid',
  unauthorized_client: 'oauth_client_invalid',
  deleted_client: 'oauth_client_invalid', // Google: the OAuth client was deleted
  disabled_client: 'oauth_client_invalid', // Google: the OAuth client is disabled
  invalid_scope: 'oauth_scope_missing',
  temporarily_unavailable: 'oauth_provider_unreachable',
  server_error: 'oauth_provider_unreachable',
};

/** The AADSTS numbers of a Microsoft answer: `error_codes`, else the "AADSTS12345:" in the description. */
export function aadstsCodes(answer: OAuthErrorAnswer): number[] {
  if (Array.isArray(answer.error_codes) && answer.error_codes.length) return answer.error_codes.filter((n) => Number.isInteger(n));
  return [...(answer.error_description ?? '').matchAll(/AADSTS(\d{4,7})/g)].map((m) => Number(m[1]));
}

export function signinErrorCodeFor(answer: OAuthErrorAnswer): SigninErrorCode {
  for (const code of aadstsCodes(answer)) {
    const mapped = AADSTS[code];
    if (mapped) return mapped;
  }
  if (answer.suberror === 'consent_required') return 'oauth_consent_required';
  if (answer.suberror === 'client_mismatch') return 'oauth_client_invalid';
  if (answer.status !== undefined && answer.status >= 500) return 'oauth_provider_unreachable';
  const byError = answer.error ? ERRORS[answer.error] : undefined;
  if (byError) return byError;
  if (answer.status === 401) return 'oauth_client_invalid';
  return 'oauth_provider_error';
}

/**
 * The provider's own words, safe to show and store: the first line of the description (Microsoft's
 * trace and correlation ids follow on later lines), shortened. Error descriptions never carry tokens.
 */
export function providerMessage(answer: OAuthErrorAnswer): string | null {
  const first = (answer.error_description ?? '').split(/\r?\n/)[0]?.trim();
  const text = first || answer.error || '';
  return text ? text.slice(0, 300) : null;
}
