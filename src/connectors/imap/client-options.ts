import type { ImapFlowOptions } from 'imapflow';
import { ConnectorError } from '../types.ts';
import { tlsOptionsFor } from '../tls-policy.ts';
import { imapflowLogger, type LoggerLike } from './safe-logger.ts';
import { withSharedContext } from './shared-tls-context.ts';

export interface ImapSettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'plain';
  username: string;
  /** Password or provider authorization code (授权码). */
  secret: string;
  /** OAuth2 access token (XOAUTH2); used instead of `secret` when set. */
  accessToken?: string;
  /**
   * Gets a fresh OAuth2 access token; called before every connection is opened (first connect, each
   * reconnect, each IDLE connection), so a token that expired during a long session is never reused.
   * Its errors pass through unchanged (the sync engine decides what they mean). Wins over `accessToken`.
   */
  getAccessToken?: () => Promise<string>;
  pinnedCertPem: string | null;
  extraCaPems?: string[];
  /** Must be true for security 'plain'; there is no silent downgrade. */
  allowPlaintext: boolean;
  /** Sent with IMAP ID (NetEase refuses SELECT without it). */
  clientId?: { name: string; version: string };
}

export interface ImapConnectorOptions {
  logger?: LoggerLike;
  /** Called once when a login is refused, e.g. to mark the mailbox as needing a new password. */
  onAuthFailure?: (err: ConnectorError) => void;
  /** Tests: behave as if the server had no QRESYNC (CONDSTORE + UID comparison path). */
  disableQresync?: boolean;
  /** Tests: behave as if the server had no CONDSTORE either (flags of every message each time). */
  disableModseq?: boolean;
  /**
   * COMPRESS=DEFLATE when the server offers it. Default: on, except to a loopback address, where the
   * bytes cost nothing and deflate only burns CPU on both ends (bench/imap-fetch.ts: ~25% slower).
   */
  compression?: boolean;
  /** IDLE is broken and re-issued this often (default 4 min; servers drop IDLE at 29 min, some sooner). */
  maxIdleTimeMs?: number;
  /**
   * The command and download connections are logged out after this long unused (default 20 s), so a
   * watched mailbox holds one connection (its IDLE) between changes.
   */
  idleCloseMs?: number;
  /** UIDs per UID FETCH in fetchMessages (default 200). */
  fetchBatchSize?: number;
  /**
   * A message larger than this is not downloaded whole (TIDINGS_MAX_MESSAGE_MB): at most this many bytes
   * are read, and only its header block is kept. Bounds what a hostile server or a huge mail costs in memory.
   */
  maxMessageBytes?: number;
  /** Timeouts in ms. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

export const DEFAULT_CLIENT_ID = { name: 'Tidings', version: '0.1' };
const DEFAULT_MAX_IDLE_MS = 4 * 60_000;

/** 127.0.0.0/8, ::1 and localhost: the server runs on this machine. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

/** The settings for one new connection: with a freshly fetched access token when the mailbox signs in with OAuth. */
export async function settingsForConnection(settings: ImapSettings): Promise<ImapSettings> {
  if (!settings.getAccessToken) return settings;
  return { ...settings, accessToken: await settings.getAccessToken() };
}

/** imapflow options for one connection; `purpose` decides auto-IDLE and socket timeouts. */
export function clientOptionsFor(settings: ImapSettings, opts: ImapConnectorOptions, purpose: 'command' | 'watch'): ImapFlowOptions {
  if (settings.security === 'plain' && !settings.allowPlaintext) {
    throw new ConnectorError('tls_failed', 'plaintext IMAP is not allowed for this mailbox (choose TLS or STARTTLS)');
  }
  const maxIdleTime = opts.maxIdleTimeMs ?? DEFAULT_MAX_IDLE_MS;
  const socketTimeout = opts.socketTimeoutMs ?? (purpose === 'watch' ? maxIdleTime + 90_000 : 120_000);
  const id = settings.clientId ?? DEFAULT_CLIENT_ID;
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    doSTARTTLS: settings.security === 'starttls' ? true : settings.security === 'plain' ? false : undefined,
    tls: withSharedContext(tlsOptionsFor(settings.host, { pinnedCertPem: settings.pinnedCertPem, extraCaPems: settings.extraCaPems })),
    auth: settings.accessToken
      ? { user: settings.username, accessToken: settings.accessToken }
      : { user: settings.username, pass: settings.secret },
    clientInfo: { name: id.name, version: id.version, vendor: id.name, 'support-url': false },
    logger: imapflowLogger(opts.logger, [settings.secret, settings.accessToken ?? '']),
    connectionTimeout: opts.connectionTimeoutMs ?? 20_000,
    greetingTimeout: opts.greetingTimeoutMs ?? 15_000,
    socketTimeout,
    qresync: !opts.disableQresync && !opts.disableModseq,
    // Without auto-enable imapflow enables neither CONDSTORE nor QRESYNC: the no-modseq path.
    disableAutoEnable: Boolean(opts.disableModseq),
    disableCompression: !(opts.compression ?? !isLoopback(settings.host)),
    maxIdleTime,
    // The command connection never idles (IDLE would sit between our commands); the watch connection
    // idles right after SELECT and again right after each maxIdleTime break.
    disableAutoIdle: purpose === 'command',
    autoIdleDelay: purpose === 'watch' ? 20 : undefined,
  };
}
