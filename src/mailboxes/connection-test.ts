import { normaliseFingerprint, fingerprintOfPem } from '../connectors/tls-policy.ts';
import type { HostPolicy } from './host-policy.ts';
import { probeEws, probeGraph, probeImap, probeSmtp, type ProbeReport } from './probe/index.ts';
import { serverOfUrl } from './protocol-rules.ts';

export interface ServerInput {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'plain';
}

/** Where a test connects: IMAP (and SMTP) servers, Graph's base URL, or an EWS endpoint (null: Autodiscover). */
export type ConnectionTarget =
  | { protocol?: 'imap'; imap: ServerInput; smtp: ServerInput | null }
  | { protocol: 'graph'; url: string }
  | { protocol: 'ews'; url: string | null };

export type ConnectionTestInput = ConnectionTarget & ConnectionTestOptions;

export interface ConnectionTestOptions {
  email: string;
  providerId: string;
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
  /** EWS: where to ask Autodiscover instead of the address's domain (tests point it at the harness). */
  autodiscoverUrls?: string[];
}

export interface ConnectionTestResult {
  ok: boolean;
  /** The mail server's report: IMAP, or Graph / EWS (its `protocol` says which). */
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

/**
 * The staged test of a Graph or EWS mailbox: one HTTPS server, pinned like IMAP's (its pin is kept as
 * the `imap` one, in the imap_pinned_cert column). Graph needs the access token the token stage got.
 */
async function runExchangeTest(
  input: ConnectionTestOptions & { protocol: 'graph' | 'ews'; url: string | null },
): Promise<ConnectionTestResult> {
  const common = { email: input.email, extraCaPems: input.extraCaPems, hostPolicy: input.hostPolicy };
  const autodiscover = input.autodiscoverUrls ? { autodiscoverUrls: input.autodiscoverUrls } : {};
  const probe: Prober =
    input.protocol === 'graph'
      ? (pinnedCertPem) => probeGraph({ ...common, baseUrl: input.url!, user: 'me', accessToken: input.accessToken ?? '', pinnedCertPem })
      : (pinnedCertPem) =>
          probeEws({
            ...common,
            url: input.url,
            username: input.username,
            password: input.password,
            providerId: input.providerId,
            allowPlaintext: input.allowPlaintext,
            pinnedCertPem,
            ...autodiscover,
          });
  const { report, pinned } = await probeWithTrust(probe, input.pinned.imap, input.trust.imap);
  return { ok: report.ok, imap: report, smtp: null, pinned: { imap: pinned, smtp: null } };
}

/** The server a report is about, as the imap_* columns store it (Graph and EWS: the HTTPS server of its URL). */
export function serverOfTarget(target: ConnectionTarget, report?: ProbeReport): ServerInput | null {
  if (target.protocol === 'graph' || target.protocol === 'ews') {
    const url = report?.url ?? target.url;
    return url ? serverOfUrl(url) : null;
  }
  return target.imap;
}

export async function runConnectionTest(input: ConnectionTestInput): Promise<ConnectionTestResult> {
  if (input.protocol === 'graph' || input.protocol === 'ews') return runExchangeTest(input);
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
