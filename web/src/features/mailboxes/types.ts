import type { RequestOf } from '../../api/schema-types.ts';

/**
 * Shapes of the mailbox API as the web app receives them (see src/mailboxes/presenter.ts and probe/types.ts).
 * TODO(api-schema): these routes' response schemas type the choices (authKind, backfill, syncMode,
 * contactCreation, a provider's auth, a suggestion's source) as plain strings; once the server's schemas
 * name them, the answers below become aliases of the generated types like the request shapes already are.
 */

export interface LocalText {
  en: string;
  'zh-CN': string;
}

export type Security = 'tls' | 'starttls' | 'plain';
/** A secret typed by the user; 'oauth2' is a sign-in with Google or Microsoft (no password). */
export type PasswordKind = 'password' | 'app_password' | 'authorization_code';
export type AuthKind = PasswordKind | 'oauth2';
export type ProviderAuth = AuthKind;
export type Visibility = 'private' | 'share_all' | 'subject_only' | 'metadata_only';
export type Backfill = '30d' | '90d' | '1y' | 'all';
export type ContactCreation = 'off' | 'sent' | 'all';
export type SyncMode = 'realtime' | 'interval';
export type MailboxStatus = 'untested' | 'active' | 'paused' | 'needs_attention';
/** The connector that reads a mailbox: IMAP (and SMTP), Microsoft Graph (Microsoft 365) or EWS (Exchange Server). */
export type MailProtocol = 'imap' | 'graph' | 'ews';
export type DiscoverySource = 'catalogue' | 'autoconfig' | 'mx' | 'srv' | 'exchange_autodiscover' | 'guess';

export interface ServerSetting {
  host: string;
  port: number;
  security: Security;
}

export interface Provider {
  id: string;
  name: LocalText;
  kind: 'enterprise' | 'public' | 'china_enterprise' | 'custom';
  /** How Tidings reads this provider's mailboxes, preferred first. */
  protocols: MailProtocol[];
  imap: ServerSetting | null;
  smtp: ServerSetting | null;
  username: 'email' | 'local_part';
  auth: ProviderAuth[];
  /** "Sign in with Google / Microsoft" binds this provider's mailboxes. */
  oauthApp: 'google' | 'microsoft' | null;
  quirks: string[];
  help: LocalText;
  authHelp: LocalText | null;
  sources: string[];
}

export interface Suggestion {
  source: DiscoverySource;
  providerId?: string;
  imap?: ServerSetting;
  smtp?: ServerSetting;
  username: string;
  /** Exchange Autodiscover: the EWS endpoint it names. */
  ews?: { url: string };
  confidence: number;
}

export interface DiscoveryResult {
  email: string;
  domain: string;
  provider: Provider | null;
  suggestions: Suggestion[];
  tried: { source: DiscoverySource; target: string; outcome: string; detail?: string }[];
  defaultUsername: string;
}

export interface StageResult {
  stage: string;
  ok: boolean;
  ms: number;
  detail?: Record<string, unknown>;
}

export interface ProbeCertificate {
  fingerprint256: string;
  pem: string;
  subject: string;
  issuer: string;
  validTo: string;
}

export interface ProbeFailure {
  code: string;
  stage: string;
  message: LocalText;
  fix: LocalText;
  certificate?: ProbeCertificate;
}

export interface ProbeReport {
  protocol: 'imap' | 'smtp' | 'graph' | 'ews';
  /** Graph and EWS: the URL tested (for EWS, the endpoint Autodiscover found). */
  url?: string;
  ok: boolean;
  host: string;
  port: number;
  security: Security;
  stages: StageResult[];
  failure: ProbeFailure | null;
  transcript: string[];
  totalMs: number;
}

export interface TestResult {
  ok: boolean;
  imap: ProbeReport;
  smtp: ProbeReport | null;
}

export type CreateMailboxInput = RequestOf<'/api/v1/mailboxes', 'post'>;
export type ConnectionInput = RequestOf<'/api/v1/mailboxes/test', 'post'>;
export type MailboxPatch = RequestOf<'/api/v1/mailboxes/{id}', 'patch'>;
export type SyncSettings = Pick<
  MailboxPatch,
  'displayName' | 'visibility' | 'syncMode' | 'syncIntervalMinutes' | 'backfill' | 'contactCreation'
>;

export interface MailboxServer extends ServerSetting {
  trustedCertificate: string | null;
}

export interface MailboxSync {
  state?: string;
  progress?: unknown;
  lastSuccessAt?: string | null;
  lastError?: unknown;
  /** Messages the server listed but did not return, kept to be tried again. */
  waitingForRetry?: number;
}

export interface Mailbox {
  id: string;
  email: string;
  displayName: string | null;
  /** Added to messages written from this mailbox (sanitized HTML). */
  signatureHtml: string | null;
  owner: { id: string; name: string | null; email: string | null };
  providerId: string;
  protocol: MailProtocol;
  /** Graph's base URL or the EWS endpoint; `imap` is then that URL's server. */
  apiUrl: string | null;
  imap: MailboxServer;
  smtp: MailboxServer | null;
  username: string;
  authKind: AuthKind;
  credential: { set: boolean; changedAt: string | null; ageDays: number | null; stale: boolean };
  insecure: boolean;
  allowPlaintext: boolean;
  visibility: Visibility;
  status: MailboxStatus;
  /** English detail of why it needs attention; `attention` says it in both languages, with the fix. */
  statusReason: string | null;
  attention: { code: string; message: LocalText; fix: LocalText } | null;
  syncMode: SyncMode;
  syncIntervalMinutes: number;
  backfill: Backfill;
  syncFolders: string[] | null;
  contactCreation: ContactCreation;
  /** Mail users forward or BCC here is logged as the original, attributed to them (admins set it). */
  dropBox: boolean;
  lastTest: { at: string; ok: boolean | null } | null;
  createdAt: string;
  updatedAt: string;
  /** Only from GET /mailboxes/:id, once the sync engine reports. */
  sync?: MailboxSync | null;
}

export type { WorkspaceSettings } from '../security/types.ts';
