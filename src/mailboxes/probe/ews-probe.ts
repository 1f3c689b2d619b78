// The staged connection test of an EWS mailbox (Exchange Server 2016 / 2019 / Subscription Edition).
import { EwsClient } from '../../connectors/ews/ews-client.ts';
import { EwsHttp } from '../../connectors/ews/ews-http.ts';
import { ConnectorError } from '../../connectors/types.ts';
import { checkedLookup } from '../host-policy.ts';
import { openConnection } from './connection.ts';
import { autodiscoverEws } from './ews-autodiscover.ts';
import { ProbeError } from './probe-error.ts';
import { ProbeRun } from './probe-run.ts';
import type { ProbeFailureCode, ProbeReport, ProbeTarget } from './types.ts';

/** The IMAP probe's settings that apply to EWS too (username: DOMAIN\\user or user@domain). */
type SharedTargetFields = 'username' | 'providerId' | 'allowPlaintext' | 'pinnedCertPem' | 'extraCaPems' | 'hostPolicy' | 'timeoutMs';

export interface EwsProbeTarget extends Pick<ProbeTarget, SharedTargetFields> {
  email: string;
  /** The EWS endpoint the admin typed or discovery found; null: run Autodiscover for `email` first. */
  url: string | null;
  password: string;
  /**
   * Where to ask Autodiscover instead of https://<domain>/…, https://autodiscover.<domain>/… (POX) and
   * …/autodiscover.svc (SOAP): an organisation's own Autodiscover host, or a test server.
   */
  autodiscoverUrls?: string[];
}

const SHOWN_FOLDERS = 20;

/** The probe's code for what the EWS client threw. */
function probeErrorOf(err: unknown): ProbeError {
  if (err instanceof ProbeError) return err;
  if (!(err instanceof ConnectorError))
    return new ProbeError('protocol_error', { cause: err, params: { why: String((err as Error)?.message ?? err) } });
  const byResponse: Record<string, ProbeFailureCode> = {
    ntlm_refused: 'ntlm_refused',
    ews_disabled: 'ews_disabled',
    ErrorAccessDenied: 'access_denied',
    ErrorMailboxMoveInProgress: 'mailbox_move_in_progress',
    ErrorServerBusy: 'server_busy',
  };
  const response = err.extra.serverResponse;
  const code = (response && byResponse[response]) || (err.code === 'auth_failed' ? 'auth_failed' : 'protocol_error');
  const waitSeconds = err.extra.retryAfterMs === undefined ? undefined : Math.ceil(err.extra.retryAfterMs / 1000);
  return new ProbeError(code, {
    cause: err,
    reply: err.message,
    params: { why: err.message, ...(waitSeconds !== undefined ? { waitSeconds } : {}) },
  });
}

/**
 * Stages: autodiscover (when `url` is null), dns, connect, tls, auth (NTLM or Basic), list (the folder
 * hierarchy): report.protocol 'ews', report.url the endpoint used (to store on the mailbox).
 */
export async function probeEws(target: EwsProbeTarget): Promise<ProbeReport> {
  // Host and port are known once the endpoint is: ProbeRun reads them when it writes the report.
  const probeTarget: ProbeTarget = {
    host: '',
    port: 443,
    security: 'tls',
    username: target.username,
    secret: target.password,
    providerId: target.providerId,
    allowPlaintext: target.allowPlaintext,
    pinnedCertPem: target.pinnedCertPem,
    extraCaPems: target.extraCaPems,
    hostPolicy: target.hostPolicy,
    timeoutMs: target.timeoutMs,
  };
  const run = new ProbeRun('ews', probeTarget);
  const creds = {
    username: target.username,
    password: target.password,
    pinnedCertPem: target.pinnedCertPem,
    extraCaPems: target.extraCaPems ?? [],
    lookup: checkedLookup(target.hostPolicy),
  };
  let url = target.url;
  let failure: unknown;
  try {
    if (!url) {
      url = await run.stage('autodiscover', async (detail) => {
        const found = await autodiscoverEws(run, target.email, creds, target.autodiscoverUrls);
        detail.url = found;
        return found;
      });
    }
    let endpoint: URL;
    try {
      endpoint = new URL(url);
    } catch (cause) {
      throw new ProbeError('protocol_error', { cause, params: { why: 'the EWS address is not a URL' } }, 'connect');
    }
    probeTarget.host = endpoint.hostname;
    probeTarget.security = endpoint.protocol === 'http:' ? 'plain' : 'tls';
    probeTarget.port = Number(endpoint.port) || (probeTarget.security === 'plain' ? 80 : 443);
    const { wire } = await openConnection(run);
    wire.destroy();

    const http = new EwsHttp({ url, ...creds, allowPlaintext: target.allowPlaintext, timeoutMs: run.timeoutMs });
    const client = new EwsClient(http);
    try {
      await run.stage('auth', async (detail) => {
        run.transcript.client(`POST ${endpoint.pathname} GetFolder inbox (as ${target.username})`);
        try {
          const [inbox] = await client.getFolders(['inbox']);
          detail.inboxTotal = inbox?.total ?? null;
        } catch (err) {
          throw probeErrorOf(err);
        }
        run.transcript.server('HTTP 200 GetFolderResponse');
      });
      await run.stage('list', async (detail) => {
        run.transcript.client(`POST ${endpoint.pathname} SyncFolderHierarchy`);
        try {
          const folders = await client.syncFolderHierarchy();
          detail.count = folders.length;
          detail.folders = folders.slice(0, SHOWN_FOLDERS).map((f) => f.name);
        } catch (err) {
          throw probeErrorOf(err);
        }
      });
    } finally {
      await http.close();
    }
  } catch (err) {
    failure = err;
  }
  const report = run.report(failure);
  return url ? { ...report, url } : report;
}
