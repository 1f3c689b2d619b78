/** How a client protects the connection: implicit TLS, upgrade with STARTTLS, or none (tests only). */
export type Security = 'tls' | 'starttls' | 'plain';

export interface ServerSetting {
  host: string;
  port: number;
  security: Security;
}

/** Credentials Tidings signs in with, named the way the providers' own settings pages name them. */
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
  | 'gmail_extensions'
  /**
   * The IMAP/SMTP server is a program on the Tidings machine (Proton Mail Bridge) on 127.0.0.1 with its own
   * self-signed certificate: its host names no provider, and binding it needs TIDINGS_ALLOW_LOCAL_MAIL_HOSTS.
   */
  | 'local_bridge';

/** The sign-in app an OAuth binding goes through (an admin registers it in Settings › Mailboxes › Sign-in apps). */
export type OAuthApp = 'google' | 'microsoft';

/** A secret typed into the password field. */
export type SecretKind = Exclude<AuthKind, 'oauth2'>;

/** A way in the provider has that Tidings does not offer yet. */
export type NotYet =
  /** The provider's own OAuth (Yahoo, AOL, Yandex, Zoho, Mail.ru): Tidings signs in with Google and Microsoft only. */
  'provider_oauth';

/** The connector that reads a mailbox: IMAP (and SMTP), Microsoft Graph, Exchange Web Services. */
export type MailProtocol = 'imap' | 'graph' | 'ews';

/** How a mailbox of this provider binds in Tidings today: what the wizard offers and the docs state. */
export interface SignIn {
  /** "Sign in with Google / Microsoft" (OAuth 2.0, XOAUTH2 for IMAP and SMTP). */
  oauth?: OAuthApp;
  /** Secrets the password field takes, preferred first. Empty when only OAuth works. */
  secrets: SecretKind[];
  notYet?: NotYet[];
  /** What the kinds above do not say, in one sentence per language. */
  note?: LocalText;
}

export interface LocalText {
  en: string;
  'zh-CN': string;
}

/** What the provider publishes about sending (each figure from a page in `sources`). */
export interface SendingFacts {
  /** Its SMTP server files a copy of each message in Sent by itself (Gmail, Outlook.com, Microsoft 365): Tidings does not append one. */
  savesSentCopy?: boolean;
  /** Recipients a mailbox may send to per rolling 24 hours (the smallest published figure for the account type). */
  perDay?: number;
  /** The largest message the server takes, in bytes, as encoded (attachments grow by a third in base64). */
  maxMessageBytes?: number;
}

/** A provider as the catalogue files declare it; `auth` is derived from `signIn` (withAuth in sign-in.ts). */
export interface CatalogueEntry {
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
  /**
   * How Tidings reads this provider's mailboxes, preferred first (the wizard's default); absent: IMAP
   * only. Graph signs in with the Microsoft sign-in app; EWS with the user name and password.
   */
  protocols?: MailProtocol[];
  signIn: SignIn;
  /** Sending through this provider; absent: no published limits, and Tidings saves the Sent copy itself. */
  sending?: SendingFacts;
  quirks: Quirk[];
  /** Exactly where in the provider's settings to act before binding. */
  help: LocalText;
  /** Shown beside the password field. */
  authHelp?: LocalText;
  /** Where each fact comes from (the provider's documentation). */
  sources: string[];
}

export interface Provider extends CatalogueEntry {
  /** What Tidings signs in with, in order of preference: 'oauth2' when `signIn.oauth` is set, then `signIn.secrets`. */
  auth: AuthKind[];
}
