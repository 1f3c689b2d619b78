import { normaliseFingerprint, fingerprintOfPem } from '../connectors/tls-policy.ts';
import type { HostPolicy } from './host-policy.ts';
import { probeImap, probeSmtp, type ProbeReport } from './probe/index.ts';

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
