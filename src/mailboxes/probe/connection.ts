import net from 'node:net';
import { connectTcp, resolveHost, sniffTls, type ResolvedAddress } from './network.ts';
import { refusedAddress, refusedName } from '../host-policy.ts';
import { ProbeError } from './probe-error.ts';
import { ProbeRun } from './probe-run.ts';
import { startTls } from './tls-inspect.ts';
import type { ProbeReport, ProbeTarget } from './types.ts';
import { Wire, WireTimeout } from './wire.ts';

export interface OpenConnection {
  wire: Wire;
  /** The IP address connected to. */
  address: string;
}

function trustOf(run: ProbeRun) {
  return { pinnedCertPem: run.target.pinnedCertPem, extraCaPems: run.target.extraCaPems };
}

/** The dns, connect and (for implicit TLS) tls stages. The caller owns and destroys the returned wire. */
export async function openConnection(run: ProbeRun): Promise<OpenConnection> {
  const { target, timeoutMs } = run;
  if (target.security === 'plain' && !target.allowPlaintext) {
    // Refused before any packet leaves: the password must never travel unencrypted by accident.
    run.refuse('connect', new ProbeError('plaintext_refused', { params: { before: 'yes' } }), { attempted: false });
  }
  const host = target.host.replace(/^\[(.*)\]$/, '$1');
  const family = net.isIP(host);
  const byName = family === 0 ? refusedName(host, target.hostPolicy) : null;
  if (byName) run.refuse('dns', new ProbeError('host_not_allowed', { params: { why: byName } }), { attempted: false });
  const addresses: ResolvedAddress[] =
    family !== 0
      ? [{ address: host, family }]
      : await run.stage('dns', async (detail) => {
          const found = await resolveHost(host, timeoutMs);
          detail.addresses = found.map((a) => a.address);
          return found;
        });
  const { socket, address } = await run.stage('connect', async (detail) => {
    // Checked after DNS (a name may resolve to 127.0.0.1), and the socket opens to these very addresses:
    // no second look-up can swap in another one (DNS rebinding).
    for (const { address: candidate } of addresses) {
      const why = refusedAddress(candidate, target.hostPolicy);
      if (why) throw new ProbeError('host_not_allowed', { params: { why }, detail: { attempted: false } });
    }
    const connected = await connectTcp(addresses, target.port, timeoutMs);
    detail.address = connected.address;
    if (connected.tried.length > 1) detail.tried = connected.tried;
    return connected;
  });
  const wire = new Wire(socket, run.transcript);
  run.transcript.note(`connected to ${address}:${target.port}`);
  if (target.security === 'tls') {
    try {
      await run.stage('tls', async (detail) => {
        Object.assign(detail, await startTls(wire, tlsContext(run, address, 'implicit')));
      });
    } catch (err) {
      wire.destroy();
      throw err;
    }
  }
  return { wire, address };
}

export function tlsContext(run: ProbeRun, address: string, mode: 'implicit' | 'starttls') {
  const { target, timeoutMs } = run;
  return { host: target.host, address, port: target.port, trust: trustOf(run), timeoutMs, mode };
}

/**
 * Reads the server's first line, which `isGreeting` must accept. Silence is explained: if the port completes a TLS handshake it is an
 * implicit-TLS port reached without TLS (wrong_port_security), otherwise the server just never spoke.
 */
export async function readGreetingLine(run: ProbeRun, wire: Wire, address: string, isGreeting: (line: string) => boolean): Promise<string> {
  let line: string;
  try {
    line = await wire.readLine(run.timeoutMs, 'the greeting', { record: false });
  } catch (err) {
    if (!(err instanceof WireTimeout)) throw err;
    run.transcript.note(`no greeting within ${run.timeoutMs} ms`);
    const { target } = run;
    if (target.security !== 'tls' && (await sniffTls(address, target.port, target.host, Math.min(run.timeoutMs, 5_000)))) {
      run.transcript.note(`port ${target.port} answers a TLS handshake: it expects SSL/TLS from the start`);
      throw new ProbeError('wrong_port_security', {
        cause: err,
        detail: { speaksTls: true },
        params: { chosen: target.security, port: target.port },
      });
    }
    throw new ProbeError('connect_timeout', { cause: err, detail: { silent: true } });
  }
  // Whatever else listens there (SSH, a database, an internal web service) is not echoed back: the
  // test must not become a way to read banners of services the user cannot otherwise reach.
  if (!isGreeting(line)) {
    run.transcript.note(
      `the first line (${Buffer.byteLength(line)} bytes) is not a${run.protocol === 'smtp' ? 'n SMTP' : 'n IMAP'} greeting; not shown`,
    );
    throw new ProbeError('not_a_mail_server', { detail: { greeting: 'not shown' } });
  }
  run.transcript.server(line);
  return line;
}

/**
 * The frame of a staged test over one connection (IMAP, SMTP): open it, let `steps` speak the protocol
 * through a `SessionClass` on it, and report. Never throws; the wire is closed whatever happened.
 */
export async function probeOverConnection<Session>(
  protocol: ProbeRun['protocol'],
  target: ProbeTarget,
  SessionClass: new (wire: Wire, timeoutMs: number) => Session,
  steps: (run: ProbeRun, opened: OpenConnection & { session: Session }) => Promise<void>,
): Promise<ProbeReport> {
  const run = new ProbeRun(protocol, target);
  let wire: Wire | undefined;
  try {
    const opened = await openConnection(run);
    wire = opened.wire;
    await steps(run, { ...opened, session: new SessionClass(opened.wire, run.timeoutMs) });
    return run.report(undefined);
  } catch (err) {
    return run.report(err);
  } finally {
    wire?.destroy();
  }
}
