import net from 'node:net';
import { connectTcp, resolveHost, sniffTls, type ResolvedAddress } from './network.ts';
import { ProbeError } from './probe-error.ts';
import type { ProbeRun } from './probe-run.ts';
import { startTls } from './tls-inspect.ts';
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
  const family = net.isIP(target.host);
  const addresses: ResolvedAddress[] =
    family !== 0
      ? [{ address: target.host, family }]
      : await run.stage('dns', async (detail) => {
          const found = await resolveHost(target.host, timeoutMs);
          detail.addresses = found.map((a) => a.address);
          return found;
        });
  const { socket, address } = await run.stage('connect', async (detail) => {
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
 * Reads the server's first line. Silence is explained: if the port completes a TLS handshake it is an
 * implicit-TLS port reached without TLS (wrong_port_security), otherwise the server just never spoke.
 */
export async function readGreetingLine(run: ProbeRun, wire: Wire, address: string): Promise<string> {
  try {
    return await wire.readLine(run.timeoutMs, 'the greeting');
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
}
