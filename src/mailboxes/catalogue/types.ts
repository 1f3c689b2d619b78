/** How a client protects the connection: implicit TLS, upgrade with STARTTLS, or none (tests only). */
export type Security = 'tls' | 'starttls' | 'plain';

export interface ServerSetting {
  host: string;
  port: number;
  security: Security;
}

/** Credentials a provider accepts, named the way the provider's own settings page names them. */
export type AuthKind = 'password' | 'app_password' | 'authorization_code' | 'oauth2';

/** Behaviour a connector or the binding form must know about. */
export type Quirk =
  /** Server refuses SELECT ("NO SELECT Unsafe Login") unless the client sends IMAP ID (RFC 2971). */
  | 'sends_imap_id'
  /** IMAP/SMTP is off until the user switches it on in the web settings. */
  | 'imap_must_be_enabled'
  /** The organisation's admin must allow IMAP/SMTP (client access) for the member. */
  | 'admin_must_allow_client_access'
  /** The organisation may restrict logins to listed IP addresses. */
  | 'ip_allow_list'
  /** The account password no longer works for IMAP/SMTP. */
  | 'password_login_closed'
  /** No fixed IMAP/SMTP hosts: reach it through EWS found by Autodiscover. */
  | 'ews_only'
  /** X-GM-EXT-1: labels, X-GM-MSGID, X-GM-THRID; sync All Mail. */
  | 'gmail_extensions';

export interface LocalText {
  en: string;
  'zh-CN': string;
}

export interface Provider {
  /** Stable id stored with a mailbox: 'gmail', 'qq', 'exmail', ... */
  id: string;
  name: LocalText;
  kind: 'enterprise' | 'public' | 'china_enterprise' | 'custom';
  match: {
    /** Exact mail domains (lower case). */
    domains: string[];
    /** MX host patterns: a leading dot means "this suffix" ('.google.com'), otherwise the exact host. */
    mxPatterns: string[];
  };
  /** Absent when there is no fixed host (Exchange on-premises, custom). */
  imap?: ServerSetting;
  smtp?: ServerSetting;
  /**
   * Hosts for a company's own domain hosted here (found by MX) when they differ from the ones for the
   * provider's own domains (Zoho: imappro/smtppro for organisation accounts).
   */
  customDomain?: { imap: ServerSetting; smtp: ServerSetting };
  username: 'email' | 'local_part';
  /** In order of preference. */
  auth: AuthKind[];
  quirks: Quirk[];
  /** Exactly where in the provider's settings to act before binding. */
  help: LocalText;
  /** Shown beside the password field. */
  authHelp?: LocalText;
  /** Where each fact comes from (the provider's documentation). */
  sources: string[];
}
