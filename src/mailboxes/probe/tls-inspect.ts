import tls, { type PeerCertificate } from 'node:tls';
import { fingerprintOfPem, pemOfPeerCertificate, tlsOptionsFor, type TlsTrust } from '../../connectors/tls-policy.ts';
import { sniffPlainGreeting } from './network.ts';
import { ProbeError } from './probe-error.ts';
import type { ProbeCertificate, ProbeFailureCode } from './types.ts';
import { WireClosed, WireTimeout, type Wire } from './wire.ts';

export interface TlsContext {
  host: string;
  /** The address connected to, for the sniffing connection that explains a failed handshake. */
  address: string;
  port: number;
  trust: TlsTrust;
  timeoutMs: number;
  /** 'implicit' = TLS from the first byte (993/465); 'starttls' = upgrade after the command. */
  mode: 'implicit' | 'starttls';
}

/** OpenSSL/Node errors that mean "the other side did not speak TLS at all". */
const NOT_TLS_ERRORS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_UNKNOWN_PROTOCOL',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_RECORD_LAYER_FAILURE',
]);

function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** Which tls_* failure an authorizationError (an OpenSSL verify code or Node's name check) means. */
export function classifyCertificateError(authorizationError: string): ProbeFailureCode {
  if (authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls_hostname_mismatch';
  if (authorizationError === 'CERT_HAS_EXPIRED' || authorizationError === 'CERT_NOT_YET_VALID') {
    return 'tls_certificate_expired';
  }
  return 'tls_untrusted_certificate';
}

function hostnameMatches(host: string, cert: PeerCertificate): boolean {
  try {
    return tls.checkServerIdentity(host, cert) === undefined;
  } catch {
    return false;
  }
}

async function explainHandshakeFailure(err: unknown, ctx: TlsContext): Promise<ProbeError> {
  const code = err instanceof WireTimeout ? 'timeout' : String((err as NodeJS.ErrnoException).code ?? (err as Error).message);
  const reason = err instanceof WireClosed ? 'closed' : code;
  const maybePlain = ctx.mode === 'implicit' && (NOT_TLS_ERRORS.has(code) || err instanceof WireTimeout || err instanceof WireClosed);
  if (maybePlain) {
    const greeting = await sniffPlainGreeting(ctx.address, ctx.port, Math.min(ctx.timeoutMs, 5_000));
    if (greeting !== null) {
      return new ProbeError('wrong_port_security', {
        cause: err,
        detail: { error: reason, plaintextGreeting: greeting },
        reply: greeting,
        params: { chosen: 'tls', port: ctx.port },
      });
    }
  }
  return new ProbeError('tls_handshake_failed', { cause: err, detail: { error: reason }, params: { why: reason } });
}

/**
 * Runs the TLS handshake on `wire` and decides trust ourselves, by the same rules as the connectors'
 * `tlsOptionsFor` (verified chain + host name, or the pinned certificate). The handshake is allowed to
 * finish with an untrusted certificate only so we can show it; such a connection is destroyed here,
 * before anyone can send a credential on it.
 */
export async function startTls(wire: Wire, ctx: TlsContext): Promise<Record<string, unknown>> {
  const options: tls.ConnectionOptions = {
    ...tlsOptionsFor(ctx.host, ctx.trust),
    // Node's name check reads `host` when there is no servername (IP literals): it must be the target.
    host: ctx.host,
    rejectUnauthorized: false,
  };
  let socket: tls.TLSSocket;
  try {
    socket = await wire.upgrade(options, ctx.timeoutMs);
  } catch (err) {
    wire.destroy();
    throw await explainHandshakeFailure(err, ctx);
  }
  const peer = socket.getPeerCertificate();
  const pem = peer?.raw ? pemOfPeerCertificate(peer) : '';
  const fingerprint256 = peer?.fingerprint256 ?? '';
  const pinned = ctx.trust.pinnedCertPem ? fingerprintOfPem(ctx.trust.pinnedCertPem) : null;
  const detail: Record<string, unknown> = {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name,
    subject: distinguishedName(peer?.subject),
    issuer: distinguishedName(peer?.issuer),
    subjectAltName: peer?.subjectaltname ?? '',
    validFrom: peer?.valid_from ? isoDate(peer.valid_from) : '',
    validTo: peer?.valid_to ? isoDate(peer.valid_to) : '',
    fingerprint256,
    hostnameMatches: peer?.raw ? hostnameMatches(ctx.host, peer) : false,
    authorized: socket.authorized,
    ...(socket.authorized ? {} : { authorizationError: String(socket.authorizationError) }),
    ...(pinned ? { pinnedFingerprint256: pinned, pinnedMatches: pinned === fingerprint256 } : {}),
  };
  const verdict = socket.authorized ? 'trusted' : `NOT trusted (${String(socket.authorizationError)})`;
  wire.transcript.note(`TLS ${String(detail.protocol)}; certificate ${String(detail.subject)} ${fingerprint256}; ${verdict}`);
  if (socket.authorized) return detail;

  wire.destroy();
  const certificate: ProbeCertificate | undefined = pem
    ? {
        fingerprint256,
        pem,
        subject: String(detail.subject),
        issuer: String(detail.issuer),
        validTo: String(detail.validTo),
      }
    : undefined;
  const code = classifyCertificateError(String(socket.authorizationError));
  throw new ProbeError(code, {
    detail,
    certificate,
    params: {
      fingerprint: fingerprint256,
      subject: String(detail.subject),
      validTo: String(detail.validTo),
      altNames: String(detail.subjectAltName) || String(detail.subject),
      pinChanged: pinned && pinned !== fingerprint256 ? 'yes' : 'no',
      expired: peer?.valid_to && new Date(peer.valid_to).getTime() < Date.now() ? 'yes' : 'no',
    },
  });
}
