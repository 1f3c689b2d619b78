import { normaliseFingerprint, fingerprintOfPem } from '../connectors/tls-policy.ts';
import type { HostPolicy } from './host-policy.ts';
import { GENERIC_FIXES, probeImap, probeSmtp, type ProbeFailure, type ProbeReport } from './probe/index.ts';
import { SIGNIN_MESSAGES } from './probe/oauth-fixes.ts';
import type { SigninError } from '../signin/errors.ts';

export interface ServerInput {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'plain';
}

export interface ConnectionTestInput {
  email: string;
  providerId: string;
  imap: ServerInput;
  smtp: ServerInput | null;
  username: string;
  password: string;
  /** OAuth2 mailboxes: the access token got for this test (XOAUTH2 instead of the password). */
  accessToken?: string;
  allowPlaintext: boolean;
  /** Fingerprints the admin asked to trust now. */
  trust: { imap?: string | null; smtp?: string | null };
  /** Certificates already pinned for this mailbox (PEM). */
  pinned: { imap: string | null; smtp: string | null };
  sendTestMessage: boolean;
  extraCaPems: string[];
  /** Which addresses the actor may have us connect to (see host-policy.ts). */
  hostPolicy: HostPolicy;
}

export interface ConnectionTestResult {
  ok: boolean;
  imap: ProbeReport;
  smtp: ProbeReport | null;
  /** The certificates (PEM) to keep pinned after this test. */
  pinned: { imap: string | null; smtp: string | null };
}

type Prober = (pinnedCertPem: string | null) => Promise<ProbeReport>;

/**
 * Runs a probe honouring the pin rules: a pinned certificate is used while the admin keeps trusting its
 * fingerprint; a newly trusted fingerprint is pinned only if it is exactly the certificate the server
 * presents (we learn its PEM from the failed, credential-free TLS stage, then test again with it).
 */
async function probeWithTrust(
  probe: Prober,
  pinnedPem: string | null,
  trust: string | null | undefined,
): Promise<{ report: ProbeReport; pinned: string | null }> {
  const wanted = trust ? normaliseFingerprint(trust) : null;
  let pem = pinnedPem;
  if (trust === null) pem = null; // the admin withdrew the trust
  if (wanted && pem && fingerprintOfPem(pem) !== wanted) pem = null;
  const first = await probe(pem);
  const cert = first.failure?.certificate;
  if (
    wanted &&
    cert &&
    normaliseFingerprint(cert.fingerprint256) === wanted &&
    (first.failure?.code === 'tls_untrusted_certificate' || first.failure?.code === 'tls_hostname_mismatch')
  ) {
    const second = await probe(cert.pem);
    return { report: second, pinned: second.ok ? cert.pem : pem };
  }
  return { report: first, pinned: first.ok ? pem : pinnedPem };
}

export async function runConnectionTest(input: ConnectionTestInput): Promise<ConnectionTestResult> {
  const base = {
    username: input.username,
    secret: input.password,
    ...(input.accessToken && { accessToken: input.accessToken }),
    providerId: input.providerId,
    allowPlaintext: input.allowPlaintext,
    extraCaPems: input.extraCaPems,
    hostPolicy: input.hostPolicy,
  };
  const [imap, smtp] = await Promise.all([
    probeWithTrust((pinnedCertPem) => probeImap({ ...base, ...input.imap, pinnedCertPem }), input.pinned.imap, input.trust.imap),
    input.smtp
      ? probeWithTrust(
          (pinnedCertPem) =>
            probeSmtp({
              ...base,
              ...input.smtp!,
              pinnedCertPem,
              ...(input.sendTestMessage && { sendTestTo: input.email, from: input.email }),
            }),
          input.pinned.smtp,
          input.trust.smtp,
        )
      : Promise.resolve(null),
  ]);
  return {
    ok: imap.report.ok && (smtp?.report.ok ?? true),
    imap: imap.report,
    smtp: smtp?.report ?? null,
    pinned: { imap: imap.pinned, smtp: smtp?.pinned ?? null },
  };
}

/**
 * The report of a test that stopped before connecting because no access token could be had ("Get an
 * access token" stage): the same failure on each server the test would have signed in to.
 */
export function tokenStageFailure(
  err: SigninError,
  servers: { imap: ServerInput; smtp: ServerInput | null; pinned: { imap: string | null; smtp: string | null } },
): ConnectionTestResult {
  const said = typeof err.details.providerMessage === 'string' ? err.details.providerMessage : null;
  const base = SIGNIN_MESSAGES[err.code];
  const failure: ProbeFailure = {
    code: err.code,
    stage: 'token',
    message: said ? { en: `${base.en} The provider said: “${said}”`, 'zh-CN': `${base['zh-CN']}服务商回复:“${said}”` } : base,
    fix: GENERIC_FIXES[err.code],
  };
  const report = (protocol: 'imap' | 'smtp', server: ServerInput): ProbeReport => ({
    protocol,
    ok: false,
    host: server.host,
    port: server.port,
    security: server.security,
    stages: [{ stage: 'token', ok: false, ms: 0, detail: { code: err.code } }],
    failure,
    transcript: [`-- no access token: ${err.code}`],
    totalMs: 0,
  });
  return {
    ok: false,
    imap: report('imap', servers.imap),
    smtp: servers.smtp ? report('smtp', servers.smtp) : null,
    pinned: servers.pinned,
  };
}
