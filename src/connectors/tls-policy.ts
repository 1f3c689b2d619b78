import tls, { type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';

/**
 * How Tidings trusts mail servers: certificates are always verified. An admin may trust one exact
 * certificate for one mailbox by pinning it (we keep its PEM, captured during the connection test, and
 * compare SHA-256 fingerprints); a company CA can be trusted for all mailboxes with TIDINGS_EXTRA_CA_FILE.
 * There is no switch that turns verification off.
 */
export interface TlsTrust {
  /** PEM of the certificate pinned for this server, or null. */
  pinnedCertPem: string | null;
  /** Extra trusted CA certificates (PEM), in addition to the system roots. */
  extraCaPems?: string[];
}

export function fingerprintOfPem(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

export function pemOfPeerCertificate(cert: PeerCertificate): string {
  const b64 = cert.raw
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Normalises "ab:cd…", "ABCD…" or "sha256/AB:CD" forms to Node's "AB:CD:…". */
export function normaliseFingerprint(input: string): string {
  const hex = input
    .replace(/^sha-?256[:/ ]?/i, '')
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

/** TLS options for tls.connect (and for imapflow's / nodemailer's `tls` option). */
export function tlsOptionsFor(host: string, trust: TlsTrust): ConnectionOptions {
  const options: ConnectionOptions = {
    servername: isIp(host) ? undefined : host,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  };
  const extra = trust.extraCaPems ?? [];
  if (!trust.pinnedCertPem && extra.length === 0) return options;
  const pinned = trust.pinnedCertPem ? fingerprintOfPem(trust.pinnedCertPem) : null;
  return {
    ...options,
    ca: [...tls.rootCertificates, ...extra, ...(trust.pinnedCertPem ? [trust.pinnedCertPem] : [])],
    // Lets the pinned certificate itself be the trust anchor even when it is not self-signed.
    allowPartialTrustChain: Boolean(trust.pinnedCertPem),
    checkServerIdentity(hostname, cert) {
      // The admin trusted this exact certificate for this server, name included.
      if (pinned && cert.fingerprint256 === pinned) return undefined;
      return tls.checkServerIdentity(hostname, cert);
    },
  } as ConnectionOptions;
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
