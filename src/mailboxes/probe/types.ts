import type { LocalText } from '../catalogue/index.ts';
import type { HostPolicy } from '../host-policy.ts';

export type { LocalText };

/**
 * `token`: getting an access token from the provider (before connecting); `oauth`: signing in with it
 * (AUTHENTICATE XOAUTH2 / OAUTHBEARER), in place of `auth` for mailboxes bound with OAuth.
 */
export type StageName =
  | 'token'
  /** EWS: finding the endpoint from the address (POX / SOAP Autodiscover). */
  | 'autodiscover'
  | 'dns'
  | 'connect'
  | 'tls'
  | 'greeting'
  | 'starttls'
  | 'auth'
  | 'oauth'
  | 'id'
  | 'list'
  | 'select'
  | 'ehlo'
  | 'send';

export interface StageResult {
  stage: StageName;
  ok: boolean;
  ms: number;
  /**
   * What the stage learnt, e.g. tls: {protocol, subject, issuer, validTo, fingerprint256, hostnameMatches,
   * authorized}, greeting: {capabilities}, select: {exists}.
   */
  detail?: Record<string, unknown>;
}

/** Failures of the provider's token endpoint or sign-in flow (thrown by src/signin as SigninError codes). */
export type OAuthTokenFailureCode =
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
  | 'oauth_address_mismatch'
  /** Forged, replayed or expired state (or a flow that is not the caller's). */
  | 'oauth_state_invalid'
  | 'oauth_nonce_invalid'
  | 'oauth_flow_not_found'
  /** The provider refused with an error nobody documented (its words are in the report). */
  | 'oauth_provider_error'
  /** The ID token failed a check other than its nonce, or carried no address. */
  | 'oauth_id_token_invalid'
  /** A sign-in used for what it cannot do (not finished, already used, for another address). */
  | 'oauth_flow_unusable'
  /** The provider has no device-code sign-in for mail (Google). */
  | 'oauth_device_unsupported';

/** The mail server's verdict on a token (the probe's own classification). */
export type OAuthServerFailureCode = 'oauth_token_rejected' | 'oauth_imap_disabled' | 'oauth_smtp_disabled' | 'oauth_scope_missing';

export type OAuthFailureCode = OAuthTokenFailureCode | OAuthServerFailureCode;

export type ProbeFailureCode =
  | OAuthFailureCode
  | 'dns_not_found'
  | 'connect_refused'
  | 'connect_timeout'
  | 'tls_handshake_failed'
  | 'tls_untrusted_certificate'
  | 'tls_hostname_mismatch'
  | 'tls_certificate_expired'
  | 'plaintext_refused'
  | 'starttls_unavailable'
  | 'auth_failed'
  | 'auth_method_unsupported'
  | 'imap_disabled_by_provider'
  | 'unsafe_login_needs_id'
  | 'mailbox_unavailable'
  | 'rate_limited'
  | 'wrong_port_security'
  | 'protocol_error'
  | 'not_a_mail_server'
  | 'host_not_allowed'
  | 'send_failed'
  | ExchangeFailureCode;

/** Failures only Exchange (EWS) and Microsoft Graph mailboxes meet. */
export type ExchangeFailureCode =
  /** Autodiscover found no EWS endpoint for the address. */
  | 'autodiscover_not_found'
  /** Autodiscover sent us to another domain or address: the admin confirms the endpoint. */
  | 'autodiscover_redirected'
  /** The server has EWS switched off for this user (Set-CASMailbox -EwsEnabled $false) or altogether. */
  | 'ews_disabled'
  /** The server offered NTLM but refused our handshake (or offers neither NTLM nor Basic). */
  | 'ntlm_refused'
  /** EWS ErrorAccessDenied / Graph 403 ErrorAccessDenied: signed in, but not allowed this mailbox. */
  | 'access_denied'
  /** EWS ErrorMailboxMoveInProgress: temporary, try again later. */
  | 'mailbox_move_in_progress'
  /** EWS ErrorServerBusy (with BackOffMilliseconds) / Graph 503. */
  | 'server_busy'
  /** Graph MailboxNotEnabledForRESTAPI: no Exchange Online mailbox (on-premises or unlicensed). */
  | 'graph_mailbox_not_enabled';

/** The certificate a tls_* failure was about, so the UI can offer "trust this certificate" (pinning). */
export interface ProbeCertificate {
  fingerprint256: string;
  pem: string;
  subject: string;
  issuer: string;
  validTo: string;
}

export interface ProbeFailure {
  code: ProbeFailureCode;
  stage: StageName;
  /** Plain explanation, quoting the server's reply where there was one. */
  message: LocalText;
  /** What to do; provider-specific where the catalogue knows the provider. */
  fix: LocalText;
  certificate?: ProbeCertificate;
}

export type ProbeSecurity = 'tls' | 'starttls' | 'plain';

export interface ProbeReport {
  protocol: 'imap' | 'smtp' | 'graph' | 'ews';
  /** Graph and EWS: the URL the probe talked to (for EWS, the endpoint Autodiscover found). */
  url?: string;
  ok: boolean;
  host: string;
  port: number;
  security: ProbeSecurity;
  stages: StageResult[];
  failure: ProbeFailure | null;
  /** Server lines ("S: …") and our commands ("C: …"), secrets redacted; notes start with "--". */
  transcript: string[];
  totalMs: number;
}

export interface ProbeTarget {
  host: string;
  port: number;
  security: ProbeSecurity;
  username: string;
  /** The password; '' when signing in with `accessToken`. */
  secret: string;
  /**
   * An OAuth access token: sign in with AUTHENTICATE XOAUTH2 (or OAUTHBEARER when only that is offered)
   * instead of a password. Never shown in transcripts or reports, in any encoding.
   */
  accessToken?: string;
  /** Catalogue id ('qq', 'gmail', …): picks provider-specific fixes and quirks. */
  providerId?: string;
  /** Plaintext ('plain') is refused before connecting unless this is true. */
  allowPlaintext: boolean;
  /** PEM of the certificate pinned for this server (captured by an earlier test), or null. */
  pinnedCertPem: string | null;
  extraCaPems?: string[];
  /** Which addresses may be reached (loopback, metadata, private ranges); checked after DNS. */
  hostPolicy: HostPolicy;
  /** Per stage; default 10000. */
  timeoutMs?: number;
}

export interface SmtpProbeTarget extends ProbeTarget {
  /** Send a test message to this address (the user's own) after AUTH. */
  sendTestTo?: string;
  /** Envelope and header sender; defaults to the username when it is an address. */
  from?: string;
}
