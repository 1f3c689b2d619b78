import type { LocalText } from '../catalogue/index.ts';
import type { HostPolicy } from '../host-policy.ts';
import type { SigninErrorCode } from '../../signin/errors.ts';

export type { LocalText };

/** 'token': getting an OAuth access token before signing in with it. */
export type StageName = 'token' | 'dns' | 'connect' | 'tls' | 'greeting' | 'starttls' | 'auth' | 'id' | 'list' | 'select' | 'ehlo' | 'send';

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

export type ProbeFailureCode =
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
  /** OAuth: the access token could not be had (src/signin/errors.ts). */
  | SigninErrorCode;

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
  protocol: 'imap' | 'smtp';
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
  secret: string;
  /** OAuth2 access token: sign in with XOAUTH2 instead of the secret. */
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
