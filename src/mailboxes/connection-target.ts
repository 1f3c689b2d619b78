import { SigninError } from '../signin/index.ts';
import { findProviderById } from './catalogue/index.ts';
import {
  runConnectionTest,
  serverOfTarget,
  type ConnectionTarget,
  type ConnectionTestOptions,
  type ConnectionTestResult,
  type ServerInput,
} from './connection-test.ts';
import { tokenFailureReport, withTokenStage } from './probe/index.ts';
import { DEFAULT_GRAPH_URL, ewsUrlUnknown } from './protocol-rules.ts';
import type { MailboxRow } from './tables.ts';

/** Where a test or bind request connects, from its fields (protocol-rules.ts has refused what cannot work). */
export function targetOfInput(
  input: { protocol: MailboxRow['protocol']; imap?: ServerInput; smtp?: ServerInput | null; ews?: { url: string | null } },
  graphUrl: string = DEFAULT_GRAPH_URL,
): ConnectionTarget {
  if (input.protocol === 'graph') return { protocol: 'graph', url: graphUrl };
  if (input.protocol === 'ews') return { protocol: 'ews', url: input.ews?.url ?? null };
  return { protocol: 'imap', imap: input.imap!, smtp: input.smtp ?? null };
}

/** Where a bound mailbox connects. */
export function targetOfRow(row: MailboxRow): ConnectionTarget {
  if (row.protocol === 'graph') return { protocol: 'graph', url: row.api_url ?? DEFAULT_GRAPH_URL };
  if (row.protocol === 'ews') return { protocol: 'ews', url: row.api_url };
  return {
    protocol: 'imap',
    imap: { host: row.imap_host, port: row.imap_port, security: row.imap_security },
    smtp: row.smtp_host ? { host: row.smtp_host, port: row.smtp_port!, security: row.smtp_security! } : null,
  };
}

/**
 * What a test found about where to connect, as the mailbox row stores it: the server (imap_* columns)
 * and, for Graph and EWS, the URL (api_url; for EWS the endpoint Autodiscover found).
 */
export function destinationAfterTest(target: ConnectionTarget, test: ConnectionTestResult) {
  const server = serverOfTarget(target, test.imap);
  if (!server) throw ewsUrlUnknown();
  const apiUrl = target.protocol === 'graph' || target.protocol === 'ews' ? (test.imap.url ?? target.url) : null;
  return { server, apiUrl };
}

export type TokenTestInput = ConnectionTarget & Omit<ConnectionTestOptions, 'password' | 'accessToken'>;

/**
 * The connection test of an OAuth mailbox: an access token first (the "token" stage: a failure there is
 * reported like any other stage), then the servers are signed in to with it.
 */
export async function testWithToken(getToken: () => Promise<string>, input: TokenTestInput): Promise<ConnectionTestResult> {
  const started = Date.now();
  let accessToken: string;
  try {
    accessToken = await getToken();
  } catch (err) {
    if (!(err instanceof SigninError)) throw err;
    const ms = Date.now() - started;
    const providerName = findProviderById(input.providerId)?.name.en;
    const failure = { code: err.code, message: typeof err.details.providerMessage === 'string' ? err.details.providerMessage : undefined };
    const report = (protocol: 'imap' | 'smtp', server: ServerInput) =>
      tokenFailureReport({ protocol, ...server, providerId: input.providerId, providerName }, failure, ms);
    if (input.protocol === 'graph' || input.protocol === 'ews') {
      // The token stage explains itself the same way whatever the token was for; the report names Graph.
      const server = serverOfTarget(input) ?? { host: '', port: 443, security: 'tls' as const };
      const imap = { ...report('imap', server), protocol: input.protocol, ...(input.url && { url: input.url }) };
      return { ok: false, imap, smtp: null, pinned: input.pinned };
    }
    return { ok: false, imap: report('imap', input.imap), smtp: input.smtp ? report('smtp', input.smtp) : null, pinned: input.pinned };
  }
  const ms = Date.now() - started;
  const result = await runConnectionTest({ ...input, password: '', accessToken });
  return {
    ...result,
    imap: withTokenStage(result.imap, ms),
    smtp: result.smtp && withTokenStage(result.smtp, ms),
  };
}
